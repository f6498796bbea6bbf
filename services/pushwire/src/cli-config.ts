// How the commands that read Pushwire's data (`tokens`, `calls`) find its Redis: a config directory when one is
// given, else the environment; when neither names a prefix and a sandbox was run from here, the sandbox's.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_TYPES } from '@pushwire/apps';
import { loadConfig, redactUrlPassword, type PushwireConfig } from '@pushwire/core';
import { SANDBOX_PREFIX, sandboxHome } from './sandbox-home.js';

export interface CliConfig {
  config: PushwireConfig;
  /** Where the data is read, for messages: `Redis at <url, password redacted>, key prefix <prefix>`. */
  where: string;
}

export function loadCliConfig(configDirOption: string | undefined, env: NodeJS.ProcessEnv): CliConfig {
  const configDir = configDirOption ?? env.PUSHWIRE_CONFIG_DIR ?? null;
  const sandbox = configDir === null && !env.PUSHWIRE_PREFIX && existsSync(join(sandboxHome(env).dir, 'general.ini'));
  const config = loadConfig({
    configDir,
    env: sandbox ? { ...env, PUSHWIRE_PREFIX: SANDBOX_PREFIX } : env,
    knownAppTypes: Object.keys(APP_TYPES),
  });
  const where = `Redis at ${redactUrlPassword(config.pushwire.redisUrl)}, key prefix ${config.pushwire.prefix}${sandbox ? " (the sandbox's)" : ''}`;
  return { config, where };
}
