// general.ini [admin] (+ PUSHWIRE_ADMIN_USER / PUSHWIRE_ADMIN_PASSWORD): who may read the audit board and
// the call history, how long that history is kept, and whether message text is shown.
import { z } from 'zod';
import { parseTrustedProxies } from './callers-config.js';
import { ConfigError } from './config-error.js';
import { BOOLEAN_WORDS } from './boolean-words.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The admin password as configured: in clear, or as an scrypt hash (`scrypt$<salt hex>$<hash hex>`). */
export type AdminSecret = { kind: 'plain'; password: string } | { kind: 'scrypt'; salt: Buffer; hash: Buffer };

export interface AdminCredentials {
  username: string;
  /** Never logged: `redactConfig` replaces it (field name `secret`). */
  secret: AdminSecret;
}

export interface AdminConfig {
  /** Null: no credentials configured, so the board and the history API are off (404), never open. */
  credentials: AdminCredentials | null;
  /** How long finished jobs and per-call histories are kept, ms. `retention_days`, default 7 days. */
  retentionMs: number;
  /** Finished jobs kept per queue and state (completed, failed), at most. `retention_jobs`, default 100000. */
  retentionJobs: number;
  /** `redact_content = yes`: message `content` shows as "[redacted]" on the board and in the history. Default no. */
  redactContent: boolean;
  /**
   * `allowed_hosts`: client networks (after trusted-proxy resolution) that may reach /admin and /v1/calls at
   * all, checked before any password work. Null (`*`): anyone. The loader always sets it; absent means
   * {@link DEFAULT_ADMIN_ALLOWED_HOSTS}.
   */
  allowedHosts?: string[] | null;
}

/** Loopback and private ranges: an auditor on the operator's own networks, not the internet. */
export const DEFAULT_ADMIN_ALLOWED_HOSTS: readonly string[] = Object.freeze([
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::1/128',
  'fc00::/7',
]);

export const DEFAULT_RETENTION_DAYS = 7;
export const DEFAULT_RETENTION_JOBS = 100_000;
const DAY_MS = 86_400_000;

/** Keys of [admin], for general.ini's unknown-key warnings. */
export const ADMIN_KEYS = [
  'username',
  'password',
  'password_hash',
  'retention_days',
  'retention_jobs',
  'redact_content',
  'allowed_hosts',
] as const;

/** The defaults: no credentials (off), 7 days or 100000 jobs, content shown. */
export const DEFAULT_ADMIN_CONFIG: Readonly<AdminConfig> = Object.freeze({
  credentials: null,
  retentionMs: DEFAULT_RETENTION_DAYS * DAY_MS,
  retentionJobs: DEFAULT_RETENTION_JOBS,
  redactContent: false,
  allowedHosts: [...DEFAULT_ADMIN_ALLOWED_HOSTS],
});

const days = z
  .string()
  .regex(/^\d+(?:\.\d+)?$/, 'must be a number of days')
  .transform(Number)
  .pipe(z.number().gt(0, 'must be above 0').max(3650, 'must be at most 3650 (ten years)'));
const jobs = z
  .string()
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(100_000_000, 'is too large'));
const bool = z
  .string()
  .transform((s) => BOOLEAN_WORDS[s.toLowerCase()])
  .pipe(z.boolean({ error: 'must be yes or no (true/false, on/off, 1/0)' }));
// Basic auth puts `user:password` in one header: a ':' in the user name would split it elsewhere.
const username = z.string().regex(/^[^:\s]+$/, 'must be non-empty, without spaces or ":"');
const scryptHash = z
  .string()
  .regex(/^scrypt\$[0-9a-f]{16,}\$[0-9a-f]{32,}$/i, 'must be scrypt$<salt hex>$<hash hex> (see docs/audit.md)')
  .transform((s): AdminSecret => {
    const [, salt = '', hash = ''] = s.split('$');
    return { kind: 'scrypt', salt: Buffer.from(salt, 'hex'), hash: Buffer.from(hash, 'hex') };
  });

/**
 * Reads [admin] and the environment overrides, checked now (docs/decisions/0005-configuration-errors.md): a half-configured login (user
 * without password or the reverse, both `password` and `password_hash`) stops the start, because guessing
 * would either open the board or silently keep it off.
 */
export function readAdminConfig(section: ReadonlyMap<string, string>, env: Env, file: string): AdminConfig {
  const value = (key: string) => {
    const text = section.get(key)?.trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const parse = <T>(schema: z.ZodType<T, string>, text: string, where: string, key: string): T => {
    const result = schema.safeParse(text);
    if (result.success) return result.data;
    throw new ConfigError(where, key, result.error.issues.map((i) => i.message).join('; '));
  };
  const envText = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

  const userFromEnv = envText('PUSHWIRE_ADMIN_USER');
  const passwordFromEnv = envText('PUSHWIRE_ADMIN_PASSWORD');
  const user = userFromEnv ?? value('username');
  const iniPassword = value('password');
  const iniHash = value('password_hash');
  if (passwordFromEnv === undefined && iniPassword !== undefined && iniHash !== undefined) {
    throw new ConfigError(file, '[admin] password', 'set either password or password_hash, not both');
  }
  let secret: AdminSecret | undefined;
  if (passwordFromEnv !== undefined) secret = { kind: 'plain', password: passwordFromEnv };
  else if (iniHash !== undefined) secret = parse(scryptHash, iniHash, file, '[admin] password_hash');
  else if (iniPassword !== undefined) secret = { kind: 'plain', password: iniPassword };

  if (user !== undefined && secret === undefined) {
    throw new ConfigError(
      userFromEnv ? 'environment' : file,
      userFromEnv ? 'PUSHWIRE_ADMIN_USER' : '[admin] username',
      'a user name without a password: set password or password_hash (or PUSHWIRE_ADMIN_PASSWORD)',
    );
  }
  if (user === undefined && secret !== undefined) {
    throw new ConfigError(
      passwordFromEnv ? 'environment' : file,
      passwordFromEnv ? 'PUSHWIRE_ADMIN_PASSWORD' : '[admin] password',
      'a password without a user name: set username (or PUSHWIRE_ADMIN_USER)',
    );
  }
  const credentials =
    user === undefined || secret === undefined
      ? null
      : {
          username: parse(
            username,
            user,
            userFromEnv ? 'environment' : file,
            userFromEnv ? 'PUSHWIRE_ADMIN_USER' : '[admin] username',
          ),
          secret,
        };

  const retentionDays = value('retention_days');
  const retentionJobs = value('retention_jobs');
  const redact = value('redact_content');
  const hosts = value('allowed_hosts');
  return {
    credentials,
    retentionMs:
      retentionDays === undefined
        ? DEFAULT_ADMIN_CONFIG.retentionMs
        : Math.round(parse(days, retentionDays, file, '[admin] retention_days') * DAY_MS),
    retentionJobs:
      retentionJobs === undefined ? DEFAULT_RETENTION_JOBS : parse(jobs, retentionJobs, file, '[admin] retention_jobs'),
    redactContent: redact === undefined ? false : parse(bool, redact, file, '[admin] redact_content'),
    allowedHosts:
      hosts === undefined ? [...DEFAULT_ADMIN_ALLOWED_HOSTS] : hosts === '*' ? null : adminHosts(hosts, file),
  };
}

/** Networks as in `trusted_proxies` (commas, any spacing); `none` would lock every auditor out, so it is refused. */
function adminHosts(text: string, file: string): string[] {
  const networks = parseTrustedProxies(text, file, '[admin] allowed_hosts');
  if (networks.length === 0)
    throw new ConfigError(file, '[admin] allowed_hosts', 'no network: list IPs or CIDRs, or * for any client');
  return networks;
}
