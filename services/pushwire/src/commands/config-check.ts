// `pushwire config check [--live]`: load a config directory like a start would and report; non-zero on any
// problem. With --live, each enabled app's credentials are also proven against its push service.
import { APP_TYPES } from '@pushwire/apps';
import { describeDisabledApp, loadConfig } from '@pushwire/core';
import type { CliArgs } from '../cli-args.js';
import { liveCheck } from './config-check-live.js';

export async function configCheck(
  args: CliArgs,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  if (!args.configDir) {
    out('config check needs --config_dir DIR (or PUSHWIRE_CONFIG_DIR)');
    return 2;
  }
  const config = loadConfig({
    configDir: args.configDir,
    overrides: { ip: args.ip ?? undefined, port: args.port ?? undefined, debug: args.debug },
    env: process.env,
    knownAppTypes: Object.keys(APP_TYPES),
  });
  out(`config directory: ${config.configDir}`);
  out(`listen: ${config.server.host}:${config.server.port}${config.server.tlsCertificate ? ' (TLS)' : ''}`);
  // Live: one OK/FAIL line per app with the push service's verdict instead of the static "ok".
  const liveFailures = args.live ? await liveCheck(config, out) : 0;
  if (!args.live)
    for (const app of config.apps) out(`ok       ${app.platform.padEnd(8)} ${app.appType.padEnd(9)} ${app.appId}`);
  for (const d of config.disabledApps) out(`DISABLED ${describeDisabledApp(d)}`);
  for (const w of config.warnings) out(`warning  ${w}`);
  return config.disabledApps.length > 0 || liveFailures > 0 ? 1 : 0;
}
