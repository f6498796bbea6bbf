// Pushwire's own settings from the environment (REDIS_URL, PUSHWIRE_*), validated with zod.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { PushwireSettings } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

const integer = (min: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(Number.MAX_SAFE_INTEGER, 'is too large'));

// One server (redis://, rediss://), a Sentinel group (redis+sentinel://s1:26379,s2:26379/<name>) or a Cluster
// (redis+cluster://n1:7000,n2:7001); the queue package parses the details (redis-topology.ts).
const redisUrl = z
  .string()
  .refine(
    (value) =>
      (/^rediss?:\/\//.test(value) && URL.canParse(value)) || /^rediss?\+(sentinel|cluster):\/\/[^/\s]+/.test(value),
    { message: 'must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL' },
  );

/** `REDIS_CLUSTER_NODES=host:port,host:port`: a Cluster, credentials and TLS from REDIS_URL. */
const clusterNodes = z.string().regex(/^\s*[^\s,]+:\d+\s*(,\s*[^\s,]+:\d+\s*)*$/, 'must be host:port[,host:port...]');

function withClusterNodes(url: string, nodes: string | undefined): string {
  if (nodes === undefined) return url;
  if (!/^rediss?:\/\//.test(url))
    throw new ConfigError(
      'environment',
      'REDIS_CLUSTER_NODES',
      'goes with a plain redis:// or rediss:// REDIS_URL (or use a redis+cluster:// URL alone)',
    );
  const u = new URL(url);
  const userInfo = u.username || u.password ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  return `${u.protocol.slice(0, -1)}+cluster://${userInfo}${nodes
    .split(',')
    .map((n) => n.trim())
    .join(',')}`;
}

/** Why a CA file cannot be used for Redis TLS, or null when it reads and holds a PEM certificate. */
function caFileProblem(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `cannot read it (${error instanceof Error && 'code' in error ? String(error.code) : String(error)})`;
  }
  return text.includes('-----BEGIN CERTIFICATE-----') ? null : 'holds no PEM certificate';
}

/** `PUSHWIRE_REDIS_CA`: a PEM file of the CA that signed a `rediss://` server's certificate. */
const caFile = z.string().superRefine((path, ctx) => {
  const problem = caFileProblem(path);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * PUSHWIRE_REDIS_CA, then NODE_EXTRA_CA_CERTS: an explicit CA list replaces Node's trust store, where Node
 * puts NODE_EXTRA_CA_CERTS, so that file is named again to keep working (docs/decisions/0019-environment-names.md). Neither set: none
 * (Node's own trust, NODE_EXTRA_CA_CERTS included).
 */
function redisCaFiles(env: Env): string[] {
  const ca = readOptional(env, 'PUSHWIRE_REDIS_CA', caFile);
  if (ca === null) return [];
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (extra === undefined || extra === '') return [ca];
  const problem = caFileProblem(extra);
  if (problem !== null) throw new ConfigError('environment', 'NODE_EXTRA_CA_CERTS', `${problem}, got "${extra}"`);
  return [ca, extra];
}

/** A TCP port to listen on; unset or empty means "no listener". */
const port = z
  .string()
  .regex(/^\d+$/, 'must be a port number (0 = any free port)')
  .transform(Number)
  .pipe(z.number().int().max(65535, 'must be at most 65535'));

/** A duration: seconds, or a number with `s`, `m`, `h` or `d` (`24h`); at least one second, at most 30 days. */
const duration = z
  .string()
  .regex(/^\d+(s|m|h|d)?$/, 'must be a number of seconds, or a number followed by s, m, h or d (e.g. 24h)')
  .transform(
    (text) => Number(text.replace(/[smhd]$/, '')) * ({ s: 1, m: 60, h: 3600, d: 86_400 }[text.slice(-1)] ?? 1) * 1000,
  )
  .pipe(
    z
      .number()
      .min(1000, 'must be at least 1 s')
      .max(30 * 86_400_000, 'must be at most 30 days'),
  );

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

// BullMQ puts the prefix in Redis keys and hash tags: no spaces, no braces.
const prefix = z.string().regex(/^[^\s{}]+$/, 'must be non-empty, without spaces or braces');

/** The environment variables Pushwire reads, for help texts. */
export const PUSHWIRE_ENV_VARIABLES = [
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'PUSHWIRE_REDIS_MIN_REPLICAS',
  'PUSHWIRE_REDIS_CA',
  'PUSHWIRE_SYNC_WAIT_MS',
  'PUSHWIRE_RETRY_BASE_MS',
  'PUSHWIRE_PREFIX',
  'PUSHWIRE_MAX_BODY_BYTES',
  'PUSHWIRE_WORKER_CONCURRENCY',
  'PUSHWIRE_MAX_QUEUE_DEPTH',
  'PUSHWIRE_MAX_DEVICES_PER_ACCOUNT',
  'PUSHWIRE_CIRCUIT_THRESHOLD',
  'PUSHWIRE_CIRCUIT_COOLDOWN_MS',
  'PUSHWIRE_METRICS_PORT',
  'PUSHWIRE_METRICS_ON_MAIN_PORT',
  'PUSHWIRE_WORKER_HTTP_PORT',
  'PUSHWIRE_HEADERS_TIMEOUT_MS',
  'PUSHWIRE_REQUEST_TIMEOUT_MS',
  'PUSHWIRE_KEEPALIVE_TIMEOUT_MS',
  'PUSHWIRE_MAX_CONNECTIONS',
  'PUSHWIRE_IDEMPOTENCY_WINDOW',
  'PUSHWIRE_IDEMPOTENCY_MAX_KEYS',
] as const;

/** Added to the sync wait for the default request timeout, ms: a caller's whole request must arrive in that time. */
const REQUEST_TIMEOUT_MARGIN_MS = 10_000;

/**
 * Reads Pushwire's settings from `env` (the caller passes `process.env` or a test's map). An unset or
 * empty variable takes its default; a bad one throws a {@link ConfigError} naming the variable.
 */
export function readPushwireSettings(env: Env): PushwireSettings {
  const syncWaitMs = read(env, 'PUSHWIRE_SYNC_WAIT_MS', integer(0), '4000');
  const requestTimeoutMs = read(
    env,
    'PUSHWIRE_REQUEST_TIMEOUT_MS',
    integer(1),
    String(syncWaitMs + REQUEST_TIMEOUT_MARGIN_MS),
  );
  const headersTimeoutMs = read(
    env,
    'PUSHWIRE_HEADERS_TIMEOUT_MS',
    integer(1),
    String(Math.min(10_000, requestTimeoutMs)),
  );
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      'environment',
      'PUSHWIRE_HEADERS_TIMEOUT_MS',
      `must be at most PUSHWIRE_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got "${headersTimeoutMs}"`,
    );
  }
  return {
    redisUrl: withClusterNodes(
      read(env, 'REDIS_URL', redisUrl, 'redis://127.0.0.1:6379'),
      readOptional(env, 'REDIS_CLUSTER_NODES', clusterNodes) ?? undefined,
    ),
    redisMinReplicas: read(env, 'PUSHWIRE_REDIS_MIN_REPLICAS', integer(0), '0'),
    redisCaFiles: redisCaFiles(env),
    syncWaitMs,
    retryBaseMs: read(env, 'PUSHWIRE_RETRY_BASE_MS', integer(1), '500'),
    prefix: read(env, 'PUSHWIRE_PREFIX', prefix, 'pushwire'),
    maxBodyBytes: read(env, 'PUSHWIRE_MAX_BODY_BYTES', integer(1), '65536'),
    workerConcurrency: read(env, 'PUSHWIRE_WORKER_CONCURRENCY', integer(1), '50'),
    maxQueueDepth: read(env, 'PUSHWIRE_MAX_QUEUE_DEPTH', integer(0), '100000'),
    maxDevicesPerAccount: read(env, 'PUSHWIRE_MAX_DEVICES_PER_ACCOUNT', integer(1), '50'),
    circuitFailureThreshold: read(env, 'PUSHWIRE_CIRCUIT_THRESHOLD', integer(1), '20'),
    circuitCooldownMs: read(env, 'PUSHWIRE_CIRCUIT_COOLDOWN_MS', integer(1), '30000'),
    metricsPort: readOptional(env, 'PUSHWIRE_METRICS_PORT', port),
    metricsOnMainPort: read(env, 'PUSHWIRE_METRICS_ON_MAIN_PORT', flag, 'false'),
    workerHttpPort: readOptional(env, 'PUSHWIRE_WORKER_HTTP_PORT', port),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: read(env, 'PUSHWIRE_KEEPALIVE_TIMEOUT_MS', integer(1), '5000'),
    maxConnections: read(env, 'PUSHWIRE_MAX_CONNECTIONS', integer(0), '10000'),
    idempotencyWindowMs: read(env, 'PUSHWIRE_IDEMPOTENCY_WINDOW', duration, '24h'),
    idempotencyMaxKeys: read(env, 'PUSHWIRE_IDEMPOTENCY_MAX_KEYS', integer(1), '100000'),
  };
}

/** A setting whose absence means "off" (null) rather than a default value. */
function readOptional<T>(
  env: Env,
  name: (typeof PUSHWIRE_ENV_VARIABLES)[number],
  schema: z.ZodType<T, string>,
): T | null {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : read(env, name, schema, raw);
}

function read<T>(
  env: Env,
  name: (typeof PUSHWIRE_ENV_VARIABLES)[number],
  schema: z.ZodType<T, string>,
  fallback: string,
): T {
  const raw = env[name];
  const text = raw === undefined || raw === '' ? fallback : raw;
  const result = schema.safeParse(text);
  if (result.success) return result.data;
  const reason = result.error.issues.map((issue) => issue.message).join('; ');
  // The Redis URL may carry a password: never echo it.
  throw new ConfigError('environment', name, name === 'REDIS_URL' ? reason : `${reason}, got "${text}"`);
}
