// general.ini [callers], [caller:<name>] and [server] trusted_proxies (+ PUSHWIRE_REQUIRE_KEY,
// PUSHWIRE_TRUSTED_PROXIES): which API keys exist, the apps and rate each may use, whose X-Forwarded-For counts.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { mappedNetworkWarnings } from './allowed-hosts.js';
import { parseNetwork } from './cidr.js';
import { ConfigError } from './config-error.js';
import type { IniDocument } from './ini-parser.js';
import { BOOLEAN_WORDS } from './boolean-words.js';

type Env = Readonly<Record<string, string | undefined>>;

/** One caller's API key, as configured: only the key's SHA-256 is ever stored. */
export interface CallerKeyConfig {
  /** The section name after `caller:`; logs and Redis keys show it instead of the key. */
  name: string;
  /** SHA-256 of the bearer key, 64 lower-case hex digits. */
  keySha256: string;
  /** App ids the key may push to and register devices for; null = every app (`apps = *`). */
  apps: string[] | null;
  /** Null = no limit. */
  rate: CallerRate | null;
}

export interface CallerRate {
  /** Sustained requests per second (`rate`, may be fractional: 0.5 = one every 2 s). */
  perSecond: number;
  /** Requests allowed at once after a quiet spell (`burst`, default: `rate` rounded up, at least 1). */
  burst: number;
}

export interface CallersConfig {
  /** `require_key = yes`: every push and token request needs a valid key. Default no: a key is optional. */
  requireKey: boolean;
  keys: CallerKeyConfig[];
  /**
   * Normalised networks of reverse proxies whose `X-Forwarded-For` is believed. Default `127.0.0.1/32`:
   * Sylk's uvicorn trusts the header from 127.0.0.1 (`forwarded_allow_ips`). Empty: the header is ignored.
   */
  trustedProxies: string[];
}

/** No keys, no key required, X-Forwarded-For believed from 127.0.0.1 only: Sylk's behaviour. */
export const DEFAULT_CALLERS_CONFIG: Readonly<CallersConfig> = Object.freeze({
  requireKey: false,
  keys: [],
  trustedProxies: ['127.0.0.1/32'],
});

/** The section prefix of one key: `[caller:sylkserver]`. */
export const CALLER_SECTION_PREFIX = 'caller:';
const CALLER_KEYS = ['key_sha256', 'apps', 'rate', 'burst'];

/** SHA-256 hex of a bearer key: what `key_sha256` holds (`printf %s "$KEY" | sha256sum`). */
export function hashCallerKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const bool = z
  .string()
  .transform((s) => BOOLEAN_WORDS[s.trim().toLowerCase()])
  .pipe(z.boolean({ error: 'must be yes or no (true/false, on/off, 1/0)' }));
// The name goes into Redis keys and log lines: keep it plain.
const callerName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a caller name is 1-64 letters, digits, ".", "_" or "-"');
const sha256 = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{64}$/, "must be the 64 hex digits of the key's SHA-256 (pushwire keys hash)"));
const perSecond = z
  .string()
  .regex(/^\d+(?:\.\d+)?$/, 'must be a number of requests per second')
  .transform(Number)
  .pipe(z.number().gt(0, 'must be above 0').max(1_000_000, 'is too large'));
const burst = z
  .string()
  .regex(/^\d+$/, 'must be a whole number of requests')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(1_000_000, 'is too large'));

export interface CallersReading {
  config: CallersConfig;
  /** Unknown keys in caller sections, misspelt section names. */
  warnings: string[];
}

/**
 * Reads the callers' settings, checked now (docs/decisions/0005-configuration-errors.md): a bad key hash, an unknown app list syntax, a rate
 * without a number, two sections with the same key, or `require_key = yes` without any key (which would shut
 * every caller out) stops the start, or is refused on reload.
 */
export function readCallersConfig(doc: IniDocument | null, env: Env): CallersReading {
  const file = doc?.fileName ?? 'general.ini';
  const warnings: string[] = [];
  const parse = <T>(schema: z.ZodType<T, string>, text: string, where: string, key: string): T => {
    const result = schema.safeParse(text);
    if (result.success) return result.data;
    throw new ConfigError(where, key, result.error.issues.map((i) => i.message).join('; '));
  };
  const envText = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

  const keys: CallerKeyConfig[] = [];
  const byHash = new Map<string, string>();
  for (const [section, values] of doc?.sections ?? []) {
    if (!section.startsWith(CALLER_SECTION_PREFIX)) {
      if (/^callers?\b/i.test(section) && section !== 'callers') {
        warnings.push(
          `${file}: [${section}] is ignored: a key's section is [${CALLER_SECTION_PREFIX}<name>], the options are in [callers]`,
        );
      }
      continue;
    }
    const where = `[${section}]`;
    const name = parse(callerName, section.slice(CALLER_SECTION_PREFIX.length), file, where);
    const own = (key: string) => {
      const text = values.get(key)?.trim();
      return text === undefined || text === '' ? undefined : text;
    };
    const hashText = own('key_sha256');
    if (hashText === undefined)
      throw new ConfigError(file, `${where} key_sha256`, 'required: the SHA-256 of the key (pushwire keys new)');
    const keySha256 = parse(sha256, hashText, file, `${where} key_sha256`);
    const other = byHash.get(keySha256);
    if (other !== undefined)
      throw new ConfigError(file, `${where} key_sha256`, `the same key as [${CALLER_SECTION_PREFIX}${other}]`);
    byHash.set(keySha256, name);
    const appsText = own('apps');
    if (appsText === undefined)
      throw new ConfigError(
        file,
        `${where} apps`,
        'required: the app ids this key may use, separated by ",", or * for all',
      );
    const rateText = own('rate');
    const burstText = own('burst');
    if (burstText !== undefined && rateText === undefined)
      throw new ConfigError(file, `${where} burst`, 'needs a rate');
    const rate = rateText === undefined ? null : parse(perSecond, rateText, file, `${where} rate`);
    keys.push({
      name,
      keySha256,
      apps: parseApps(appsText, file, `${where} apps`),
      rate:
        rate === null
          ? null
          : {
              perSecond: rate,
              burst:
                burstText === undefined
                  ? Math.max(1, Math.ceil(rate))
                  : parse(burst, burstText, file, `${where} burst`),
            },
    });
    for (const key of values.keys()) {
      if (!CALLER_KEYS.includes(key) && !doc?.defaults.has(key))
        warnings.push(`${file}: ${where} ${key} is not a known setting and is ignored`);
    }
  }

  const callers = doc?.sections.get('callers');
  const requireEnv = envText('PUSHWIRE_REQUIRE_KEY');
  const requireIni = callers?.get('require_key')?.trim();
  const requireKey =
    requireEnv !== undefined
      ? parse(bool, requireEnv, 'environment', 'PUSHWIRE_REQUIRE_KEY')
      : requireIni === undefined || requireIni === ''
        ? false
        : parse(bool, requireIni, file, '[callers] require_key');
  if (requireKey && keys.length === 0) {
    throw new ConfigError(
      requireEnv !== undefined ? 'environment' : file,
      requireEnv !== undefined ? 'PUSHWIRE_REQUIRE_KEY' : '[callers] require_key',
      `every request would be refused: no key is configured (add a [${CALLER_SECTION_PREFIX}<name>] section)`,
    );
  }

  const bypassed = requireKey ? [] : keys.filter((k) => k.apps !== null || k.rate !== null);
  if (bypassed.length > 0) {
    const where = requireEnv !== undefined ? 'PUSHWIRE_REQUIRE_KEY' : `${file}: [callers] require_key`;
    warnings.push(
      `${where} is no, so callers without a key bypass the app scopes and rates of ` +
        `${bypassed.map((k) => `[${CALLER_SECTION_PREFIX}${k.name}]`).join(', ')} (only allowed_hosts limits them): ` +
        'set require_key = yes to enforce them on everyone',
    );
  }

  const proxiesEnv = envText('PUSHWIRE_TRUSTED_PROXIES');
  const proxiesIni = doc?.sections.get('server')?.get('trusted_proxies');
  const trustedProxies =
    proxiesEnv !== undefined
      ? parseTrustedProxies(proxiesEnv, 'environment', 'PUSHWIRE_TRUSTED_PROXIES')
      : proxiesIni === undefined
        ? [...DEFAULT_CALLERS_CONFIG.trustedProxies]
        : parseTrustedProxies(proxiesIni, file, '[server] trusted_proxies');
  warnings.push(
    ...mappedNetworkWarnings(
      trustedProxies,
      proxiesEnv !== undefined ? 'PUSHWIRE_TRUSTED_PROXIES' : `${file}: [server] trusted_proxies`,
    ),
  );
  return { config: { requireKey, keys, trustedProxies }, warnings };
}

/** `*` alone = every app; else app ids separated by commas (spaces around them are ignored). */
function parseApps(text: string, file: string, key: string): string[] | null {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.includes('*')) {
    if (items.length > 1) throw new ConfigError(file, key, '* (every app) cannot be combined with app ids');
    return null;
  }
  if (items.length === 0) throw new ConfigError(file, key, 'no app id: list app ids separated by ",", or * for all');
  const bad = items.find((id) => /\s/.test(id));
  if (bad !== undefined) throw new ConfigError(file, key, `"${bad}" is not an app id (separate app ids with ",")`);
  return [...new Set(items)];
}

/**
 * IPs or CIDRs separated by commas (any spacing); a bare address is one host. Empty or `none`: no proxy is
 * trusted. Strict networks as in `allowed_hosts` (`10.0.0.1/24` is refused: did you mean 10.0.0.0/24?).
 */
export function parseTrustedProxies(text: string, file: string, key: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  const networks = trimmed.split(/\s*,\s*/).map((item) => {
    const withPrefix = item.includes('/') ? item : `${item}/${item.includes(':') ? 128 : 32}`;
    try {
      return parseNetwork(withPrefix).cidr;
    } catch (error) {
      throw new ConfigError(file, key, (error as Error).message);
    }
  });
  return [...new Set(networks)];
}
