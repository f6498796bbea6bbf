// Loads a Sylk Pushserver config directory (general.ini, applications.ini, credentials/) plus the environment.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadApplications } from './applications-ini.js';
import { readAdminConfig } from './admin-config.js';
import { readCallersConfig } from './callers-config.js';
import { ConfigError } from './config-error.js';
import { readPushwireSettings } from './env-settings.js';
import { readGeneralIni } from './general-ini.js';
import { parseIni, type IniDocument } from './ini-parser.js';
import type { PushwireConfig } from './types.js';

export interface LoadConfigOptions {
  /** Sylk's `--config_dir`. Null: no config files at all, so defaults and no apps. */
  configDir: string | null;
  /** Sylk's `--ip`, `--port`, `--debug`: ip and port win over general.ini, debug is OR-ed with it. */
  overrides?: { ip?: string; port?: number; debug?: boolean };
  /** Where `REDIS_URL` and `PUSHWIRE_*` are read from (the service passes `process.env`). Default: empty, so all defaults. */
  env?: Readonly<Record<string, string | undefined>>;
  /** App types with a payload module, lower case (`sylk`, `linphone`); other `app_type`s disable their app. */
  knownAppTypes: readonly string[];
  /** Base of a relative config dir, `log_file` and `spool_dir`. Default: `process.cwd()`. */
  cwd?: string;
  /** Sylk's packaged spool directory, the default `spool_dir` when it exists. Default: `/var/spool/sylk-pushserver`. */
  systemSpoolDir?: string;
}

/**
 * Reads and checks the whole configuration once, at start (docs/decisions/0005-configuration-errors.md): a global problem (missing config
 * dir, unparsable general.ini, bad `allowed_hosts`, missing or unparsable applications.ini, bad environment
 * variable) throws a {@link ConfigError}; a per-app problem leaves that app in `disabledApps` (describe it
 * with `describeDisabledApp`) and the rest load. Non-fatal notes are returned in `warnings`.
 */
export function loadConfig(options: LoadConfigOptions): PushwireConfig {
  const cwd = options.cwd ?? process.cwd();
  const overrides = options.overrides ?? {};
  const warnings: string[] = [];
  const configDir = options.configDir === null ? null : resolve(cwd, options.configDir);
  if (configDir !== null && !isDirectory(configDir)) {
    throw new ConfigError(configDir, '--config_dir', 'Specified config directory does not exist');
  }

  let generalDoc: IniDocument | null = null;
  const generalIni = configDir === null ? null : join(configDir, 'general.ini');
  if (generalIni !== null && exists(generalIni)) {
    generalDoc = parseIni(readText(generalIni), generalIni);
  } else if (configDir !== null) {
    warnings.push(`No general.ini found in ${configDir}, server will run with default settings.`);
  }

  const general = readGeneralIni({
    doc: generalDoc,
    configDir,
    overrides,
    cwd,
    systemSpoolDir: options.systemSpoolDir ?? '/var/spool/sylk-pushserver',
  });
  warnings.push(...general.warnings);
  const pushwire = readPushwireSettings(options.env ?? {});
  const admin = readAdminConfig(
    generalDoc?.sections.get('admin') ?? new Map(),
    options.env ?? {},
    generalDoc?.fileName ?? 'general.ini',
  );

  const callers = readCallersConfig(generalDoc, options.env ?? {});
  warnings.push(...callers.warnings);
  const base = {
    configDir,
    server: general.server,
    cassandra: general.cassandra,
    pushwire,
    admin,
    callers: callers.config,
  };
  if (configDir === null || general.applicationsIni === null || general.credentialsDir === null) {
    return { ...base, files: null, apps: [], disabledApps: [], warnings };
  }

  const applicationsIni = general.applicationsIni;
  if (!exists(applicationsIni)) {
    throw new ConfigError(applicationsIni, null, 'Required config file not found');
  }
  const applications = loadApplications(parseIni(readText(applicationsIni), applicationsIni), {
    credentialsDir: general.credentialsDir,
    knownAppTypes: options.knownAppTypes.map((type) => type.toLowerCase()),
  });
  warnings.push(...applications.warnings);
  return {
    ...base,
    files: {
      generalIni: generalDoc === null ? null : generalIni,
      applicationsIni,
      credentialsDir: general.credentialsDir,
    },
    apps: applications.apps,
    disabledApps: applications.disabledApps,
    warnings,
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, null, `cannot be read: ${(error as Error).message}`);
  }
}
