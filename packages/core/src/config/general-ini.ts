// general.ini: [server], [applications] and [Cassandra], with Sylk's defaults and exact value parsing.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ADMIN_KEYS } from './admin-config.js';
import { mappedNetworkWarnings, parseAllowedHosts } from './allowed-hosts.js';
import { setting } from './app-build.js';
import { ConfigError } from './config-error.js';
import {
  AppProblem,
  hasPrivateKeyBlock,
  parseCertificates,
  parsePrivateKey,
  readCredential,
} from './credential-files.js';
import type { IniDocument } from './ini-parser.js';
import type { CassandraConfig, ServerConfig } from './types.js';
import { BOOLEAN_WORDS } from './boolean-words.js';

export interface GeneralIniOptions {
  /** Null when there is no config dir or it has no general.ini: everything takes its default. */
  doc: IniDocument | null;
  configDir: string | null;
  overrides: { ip?: string; port?: number; debug?: boolean };
  /** Base of relative `log_file` / `spool_dir` paths (Sylk takes them relative to its working directory). */
  cwd: string;
  /** Sylk's packaged spool directory, used by default when it exists. */
  systemSpoolDir: string;
}

export interface GeneralSettings {
  server: ServerConfig;
  cassandra: CassandraConfig | null;
  /** Absolute paths; null without a config dir. */
  applicationsIni: string | null;
  credentialsDir: string | null;
  warnings: string[];
}

const DEFAULT_LOG_FILE = '/var/log/sylk-pushserver/push.log';
const EMPTY: ReadonlyMap<string, string> = new Map();
const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  server: [
    'host',
    'port',
    'tls_certificate',
    'return_async',
    'allowed_hosts',
    'log_to_file',
    'log_file',
    'spool_dir',
    'debug',
    'debug_hpack',
    'trusted_proxies',
  ],
  callers: ['require_key'],
  applications: ['config_file', 'credentials_folder', 'extra_applications_dir', 'extra_pns_dir'],
  Cassandra: ['cluster_contact_points', 'keyspace', 'table', 'debug'],
  admin: ADMIN_KEYS,
};

export function readGeneralIni(options: GeneralIniOptions): GeneralSettings {
  const { doc, configDir, overrides, cwd } = options;
  const file = doc?.fileName ?? 'general.ini';
  if (overrides.port !== undefined && !isPort(overrides.port)) {
    throw new ConfigError('command line', '--port', `must be a port number from 0 to 65535, got ${overrides.port}`);
  }
  const warnings = doc ? unknownKeyWarnings(doc) : [];
  const server = doc?.sections.get('server') ?? EMPTY;
  const applications = doc?.sections.get('applications') ?? EMPTY;
  // Only the exact string `true` (any case) is true in [server], as in Sylk.
  const isTrue = (name: string): boolean => (server.get(name) ?? '').toLowerCase() === 'true';

  let allowedHosts: string[];
  try {
    allowedHosts = parseAllowedHosts(server.get('allowed_hosts') ?? '');
  } catch (error) {
    throw new ConfigError(file, '[server] allowed_hosts', `wrong acl settings: ${(error as Error).message}`);
  }
  warnings.push(...mappedNetworkWarnings(allowedHosts, `${file}: [server] allowed_hosts`));

  const logToFile = isTrue('log_to_file');
  const spoolDir = setting(server, 'spool_dir');
  const serverConfig: ServerConfig = {
    host: overrides.ip || (setting(server, 'host') ?? '127.0.0.1'),
    port: overrides.port ?? parsePort(setting(server, 'port') ?? '8400', file),
    tlsCertificate: readTlsCertificate(setting(server, 'tls_certificate'), configDir ?? cwd, file),
    returnAsync: server.has('return_async') ? isTrue('return_async') : true,
    allowedHosts,
    logToFile,
    logFile: logToFile ? resolve(cwd, setting(server, 'log_file') ?? DEFAULT_LOG_FILE) : null,
    debug: isTrue('debug') || overrides.debug === true,
    spoolDir: spoolDir !== undefined ? resolve(cwd, spoolDir) : defaultSpoolDir(options),
  };

  for (const name of ['extra_applications_dir', 'extra_pns_dir']) {
    if (applications.has(name)) {
      warnings.push(
        `${file}: [applications] ${name} is ignored: Pushwire cannot load Sylk's Python modules; ` +
          'its app types and push services are built in',
      );
    }
  }
  const inConfigDir = (path: string): string | null =>
    configDir === null ? null : isAbsolute(path) ? path : join(configDir, path);

  return {
    server: serverConfig,
    cassandra: readCassandra(doc?.sections.get('Cassandra') ?? EMPTY, file),
    applicationsIni: inConfigDir(setting(applications, 'config_file') ?? 'applications.ini'),
    credentialsDir: inConfigDir(setting(applications, 'credentials_folder') ?? 'credentials'),
    warnings,
  };
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}

function parsePort(text: string, file: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : -1;
  if (!isPort(port))
    throw new ConfigError(file, '[server] port', `must be a port number from 0 to 65535, got "${text}"`);
  return port;
}

/**
 * The server's PEM (certificate and unencrypted key in one file), checked now. Sylk fell back to plain
 * HTTP on a bad file; serving in clear text by accident is worse than not starting, so this is fatal.
 */
function readTlsCertificate(value: string | undefined, baseDir: string, file: string): string | null {
  // The sample's `tls_certificate = ''`, uncommented, means "none".
  if (value === undefined || value === "''" || value === '""') return null;
  const path = resolve(baseDir, value);
  try {
    const text = readCredential(path, '');
    const { certificates } = parseCertificates(text, path);
    if (!hasPrivateKeyBlock(text)) throw new AppProblem(`${path} - no private key in it`);
    const { key } = parsePrivateKey(text, path);
    if (!certificates[0]?.checkPrivateKey(key))
      throw new AppProblem(`${path} - the key does not match the certificate`);
  } catch (error) {
    if (!(error instanceof AppProblem)) throw error;
    throw new ConfigError(file, '[server] tls_certificate', `not a valid ssl cert: ${error.message}`);
  }
  return path;
}

function defaultSpoolDir(options: GeneralIniOptions): string {
  return existsSync(options.systemSpoolDir) ? options.systemSpoolDir : join(options.cwd, '.pushwire', 'spool');
}

function readCassandra(section: ReadonlyMap<string, string>, file: string): CassandraConfig | null {
  const contactPoints = (section.get('cluster_contact_points') ?? '').split(/\s*,\s*/).filter((host) => host !== '');
  if (contactPoints.length === 0) return null;
  const keyspace = setting(section, 'keyspace');
  if (keyspace === undefined) {
    throw new ConfigError(file, '[Cassandra] keyspace', 'required when cluster_contact_points is set');
  }
  const debugText = setting(section, 'debug')?.toLowerCase() ?? 'false';
  const debug = BOOLEAN_WORDS[debugText];
  if (debug === undefined) {
    throw new ConfigError(file, '[Cassandra] debug', `not a boolean (yes/no, true/false, on/off, 1/0): "${debugText}"`);
  }
  return { contactPoints, keyspace, table: setting(section, 'table') ?? 'push_tokens', debug };
}

/** A misspelt key is silently ignored by Sylk; say so instead. Keys inherited from [DEFAULT] are not flagged. */
function unknownKeyWarnings(doc: IniDocument): string[] {
  const warnings: string[] = [];
  for (const [section, known] of Object.entries(KNOWN_KEYS)) {
    for (const key of doc.sections.get(section)?.keys() ?? []) {
      if (!known.includes(key) && !doc.defaults.has(key)) {
        warnings.push(`${doc.fileName}: [${section}] ${key} is not a known setting and is ignored`);
      }
    }
  }
  return warnings;
}
