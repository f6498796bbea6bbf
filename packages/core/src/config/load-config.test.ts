// loadConfig: directories, general.ini, global errors, command-line overrides and the environment.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig, type LoadConfigOptions } from './load-config.js';
import { clientCertificate, makeConfigDir, type TestConfigDir } from '../test-support/config-dir.js';

let cfg: TestConfigDir;
beforeEach(() => {
  cfg = makeConfigDir();
});
afterEach(() => cfg.remove());

const LEGACY_APP =
  '[a]\napp_id = a\napp_type = sylk\napp_platform = firebase\nfirebase_authorization_key = k\nfirebase_push_url = https://h/\n';

function load(options: Partial<LoadConfigOptions> = {}) {
  return loadConfig({
    configDir: cfg.dir,
    knownAppTypes: ['sylk'],
    cwd: cfg.dir,
    systemSpoolDir: join(cfg.dir, 'none'),
    ...options,
  });
}

function loadError(options: Partial<LoadConfigOptions> = {}): ConfigError {
  try {
    load(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function withGeneral(general: string, options: Partial<LoadConfigOptions> = {}) {
  cfg.general(general);
  cfg.applications(LEGACY_APP);
  return load(options);
}

describe('loadConfig: directories and files', () => {
  it('refuses a config dir that does not exist', () => {
    const missing = join(cfg.dir, 'nope');
    const error = loadError({ configDir: missing });
    expect(error).toMatchObject({
      file: missing,
      key: '--config_dir',
      reason: 'Specified config directory does not exist',
    });
  });

  it('runs on defaults, with no apps, without a config dir', () => {
    const config = load({ configDir: null });
    expect(config).toMatchObject({
      configDir: null,
      files: null,
      apps: [],
      disabledApps: [],
      cassandra: null,
      warnings: [],
    });
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8400,
      tlsCertificate: null,
      returnAsync: true,
      allowedHosts: [],
      logToFile: false,
      logFile: null,
      debug: false,
      spoolDir: join(cfg.dir, '.pushwire', 'spool'),
    });
  });

  it('uses Sylk’s packaged spool dir by default when it exists', () => {
    const system = join(cfg.dir, 'var-spool');
    mkdirSync(system);
    expect(load({ configDir: null, systemSpoolDir: system }).server.spoolDir).toBe(system);
  });

  it('warns and runs on defaults without general.ini, but still needs applications.ini', () => {
    cfg.applications(LEGACY_APP);
    const config = load();
    expect(config.warnings[0]).toBe(`No general.ini found in ${cfg.dir}, server will run with default settings.`);
    expect(config.files).toEqual({
      generalIni: null,
      applicationsIni: join(cfg.dir, 'applications.ini'),
      credentialsDir: cfg.credentials,
    });
    expect(config.apps).toHaveLength(1);
  });

  it('refuses to start without applications.ini, naming the file', () => {
    cfg.general('[server]\n');
    expect(loadError()).toMatchObject({
      file: join(cfg.dir, 'applications.ini'),
      key: null,
      reason: 'Required config file not found',
    });
  });

  it('refuses an unparsable general.ini or applications.ini with file, key and line', () => {
    cfg.general('[server]\nport = 1\nport = 2\n');
    expect(loadError().message).toBe(`${join(cfg.dir, 'general.ini')}: [server] port: duplicate option (line 3)`);
    cfg.general('[server]\n');
    cfg.applications('app_id = x\n');
    expect(loadError()).toMatchObject({
      file: join(cfg.dir, 'applications.ini'),
      reason: expect.stringMatching(/^line 1 is outside any \[section\]/),
    });
  });

  it('reads [applications] config_file and credentials_folder relative to the config dir, or absolute', () => {
    mkdirSync(join(cfg.dir, 'etc'));
    writeFileSync(join(cfg.dir, 'etc', 'apps.ini'), LEGACY_APP);
    cfg.general(`[applications]\nconfig_file = etc/apps.ini\ncredentials_folder = ${join(cfg.dir, 'keys')}\n`);
    expect(load().files).toEqual({
      generalIni: join(cfg.dir, 'general.ini'),
      applicationsIni: join(cfg.dir, 'etc', 'apps.ini'),
      credentialsDir: join(cfg.dir, 'keys'),
    });
    cfg.general('[applications]\nconfig_file = missing.ini\n');
    expect(loadError()).toMatchObject({ file: join(cfg.dir, 'missing.ini'), reason: 'Required config file not found' });
  });
});

describe('loadConfig: general.ini [server]', () => {
  it('reads every [server] setting with Sylk’s exact parsing', () => {
    const config = withGeneral(
      '[server]\nhost = 0.0.0.0\nport = 9400\nreturn_async = TRUE\nlog_to_file = true\nlog_file = logs/push.log\n' +
        'debug = True\nspool_dir = spool\nallowed_hosts = 10.0.0.0/8, 192.168.1.2, 2001:db8::1\n',
    );
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 9400,
      tlsCertificate: null,
      returnAsync: true,
      allowedHosts: ['10.0.0.0/8', '192.168.1.2/32', '2001:db8::1/128'],
      logToFile: true,
      logFile: join(cfg.dir, 'logs/push.log'),
      debug: true,
      spoolDir: join(cfg.dir, 'spool'),
    });
  });

  it('counts only the string true as true, and treats a present but other return_async as false', () => {
    const config = withGeneral('[server]\nreturn_async = yes\nlog_to_file = 1\ndebug = on\n');
    expect(config.server).toMatchObject({ returnAsync: false, logToFile: false, logFile: null, debug: false });
    expect(withGeneral('[server]\nlog_to_file = True\n').server.logFile).toBe('/var/log/sylk-pushserver/push.log');
  });

  it('lets --ip and --port win and ORs --debug', () => {
    const general = '[server]\nhost = 10.1.1.1\nport = 9000\ndebug = false\n';
    expect(withGeneral(general, { overrides: { ip: '127.0.0.2', port: 0, debug: true } }).server).toMatchObject({
      host: '127.0.0.2',
      port: 0,
      debug: true,
    });
    expect(withGeneral(general, { overrides: { ip: '', debug: false } }).server).toMatchObject({
      host: '10.1.1.1',
      port: 9000,
      debug: false,
    });
    expect(withGeneral('[server]\ndebug = true\n', { overrides: { debug: false } }).server.debug).toBe(true);
  });

  it.each([
    ['allowed_hosts = 10.0.0.1/24', '[server] allowed_hosts', 'wrong acl settings: 10.0.0.1/24 has host bits set'],
    [
      'allowed_hosts = 10.0.0.1,10.0.0.2',
      '[server] allowed_hosts',
      "wrong acl settings: '10.0.0.1,10.0.0.2/32' does not appear to be an IPv4 or IPv6 network",
    ],
    ['port = http', '[server] port', 'must be a port number from 0 to 65535, got "http"'],
    ['port = 70000', '[server] port', 'must be a port number from 0 to 65535, got "70000"'],
    [
      'tls_certificate = missing.pem',
      '[server] tls_certificate',
      expect.stringMatching(/^not a valid ssl cert: .*missing\.pem - no such file$/),
    ],
  ])('refuses %s', (line, key, reason) => {
    cfg.general(`[server]\n${line}\n`);
    cfg.applications(LEGACY_APP);
    expect(loadError()).toMatchObject({ file: join(cfg.dir, 'general.ini'), key, reason });
  });

  it('refuses a bad --port', () => {
    cfg.applications(LEGACY_APP);
    expect(loadError({ overrides: { port: 65536 } })).toMatchObject({ key: '--port' });
  });

  it('checks tls_certificate (certificate and key in one PEM, relative to the config dir)', () => {
    const pem = clientCertificate();
    writeFileSync(join(cfg.dir, 'server.pem'), pem.cert + pem.key);
    expect(withGeneral('[server]\ntls_certificate = server.pem\n').server.tlsCertificate).toBe(
      join(cfg.dir, 'server.pem'),
    );
    expect(withGeneral("[server]\ntls_certificate = ''\n").server.tlsCertificate).toBeNull();
    writeFileSync(join(cfg.dir, 'cert-only.pem'), pem.cert);
    cfg.general('[server]\ntls_certificate = cert-only.pem\n');
    expect(loadError().reason).toMatch(/cert-only\.pem - no private key in it$/);
  });

  it('warns about settings it does not know, but not about [DEFAULT] ones', () => {
    const config = withGeneral('[DEFAULT]\nshared = 1\n[server]\nallowed_host = 10.0.0.1\n');
    expect(config.warnings).toContain(
      `${join(cfg.dir, 'general.ini')}: [server] allowed_host is not a known setting and is ignored`,
    );
    expect(config.warnings.some((w) => w.includes('shared'))).toBe(false);
  });
});

describe('loadConfig: general.ini [Cassandra]', () => {
  it('chooses Cassandra when cluster_contact_points is set, splitting on commas with any spacing', () => {
    const config = withGeneral(
      '[Cassandra]\ncluster_contact_points = db1 ,db2,  10.0.0.3\nkeyspace = sylk\ndebug = Yes\n',
    );
    expect(config.cassandra).toEqual({
      contactPoints: ['db1', 'db2', '10.0.0.3'],
      keyspace: 'sylk',
      table: 'push_tokens',
      debug: true,
    });
    expect(
      withGeneral('[Cassandra]\ncluster_contact_points = db1\nkeyspace = k\ntable = tokens\ndebug = off\n').cassandra,
    ).toMatchObject({ table: 'tokens', debug: false });
    expect(withGeneral('[Cassandra]\ncluster_contact_points =\n').cassandra).toBeNull();
  });

  it('refuses a Cassandra section without keyspace or with a bad debug value', () => {
    cfg.applications(LEGACY_APP);
    cfg.general('[Cassandra]\ncluster_contact_points = db1\n');
    expect(loadError()).toMatchObject({ key: '[Cassandra] keyspace' });
    cfg.general('[Cassandra]\ncluster_contact_points = db1\nkeyspace = k\ndebug = maybe\n');
    expect(loadError()).toMatchObject({ key: '[Cassandra] debug' });
  });
});

describe('loadConfig: environment', () => {
  it('takes the defaults, or the given values', () => {
    expect(load({ configDir: null }).pushwire).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      redisMinReplicas: 0,
      redisCaFiles: [],
      syncWaitMs: 4000,
      retryBaseMs: 500,
      prefix: 'pushwire',
      maxBodyBytes: 65536,
      workerConcurrency: 50,
      maxQueueDepth: 100_000,
      maxDevicesPerAccount: 50,
      circuitFailureThreshold: 20,
      circuitCooldownMs: 30_000,
      metricsPort: null,
      metricsOnMainPort: false,
      workerHttpPort: null,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 14_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 10_000,
      idempotencyWindowMs: 86_400_000,
      idempotencyMaxKeys: 100_000,
    });
    const env = {
      PUSHWIRE_IDEMPOTENCY_WINDOW: '90m',
      PUSHWIRE_IDEMPOTENCY_MAX_KEYS: '10',
      REDIS_URL: 'rediss://:pw@redis.example:6380/2',
      PUSHWIRE_SYNC_WAIT_MS: '0',
      PUSHWIRE_RETRY_BASE_MS: '5',
      PUSHWIRE_PREFIX: 'pw-test',
      PUSHWIRE_MAX_BODY_BYTES: '1024',
      PUSHWIRE_WORKER_CONCURRENCY: '',
      UNRELATED: 'x',
      PUSHWIRE_MAX_QUEUE_DEPTH: '0',
      PUSHWIRE_MAX_DEVICES_PER_ACCOUNT: '7',
      PUSHWIRE_CIRCUIT_THRESHOLD: '3',
      PUSHWIRE_CIRCUIT_COOLDOWN_MS: '250',
    };
    expect(load({ configDir: null, env }).pushwire).toEqual({
      redisUrl: 'rediss://:pw@redis.example:6380/2',
      redisMinReplicas: 0,
      redisCaFiles: [],
      syncWaitMs: 0,
      retryBaseMs: 5,
      prefix: 'pw-test',
      maxBodyBytes: 1024,
      workerConcurrency: 50,
      maxQueueDepth: 0,
      maxDevicesPerAccount: 7,
      circuitFailureThreshold: 3,
      circuitCooldownMs: 250,
      metricsPort: null,
      metricsOnMainPort: false,
      workerHttpPort: null,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 10_000,
      idempotencyWindowMs: 5_400_000,
      idempotencyMaxKeys: 10,
    });
    expect(load({ configDir: null, env: { PUSHWIRE_IDEMPOTENCY_WINDOW: '3600' } }).pushwire.idempotencyWindowMs).toBe(
      3_600_000,
    );
    for (const bad of ['0', '24 h', '1y', '31d', '-5']) {
      expect(loadError({ configDir: null, env: { PUSHWIRE_IDEMPOTENCY_WINDOW: bad } })).toMatchObject({
        key: 'PUSHWIRE_IDEMPOTENCY_WINDOW',
      });
    }
    expect(loadError({ configDir: null, env: { PUSHWIRE_IDEMPOTENCY_MAX_KEYS: '0' } })).toMatchObject({
      key: 'PUSHWIRE_IDEMPOTENCY_MAX_KEYS',
    });
  });

  it('takes Sentinel and Cluster URLs, and REDIS_CLUSTER_NODES with the credentials of REDIS_URL', () => {
    const sentinel = 'redis+sentinel://:pw@10.0.0.1:26379,10.0.0.2:26379/mymaster';
    expect(load({ configDir: null, env: { REDIS_URL: sentinel } }).pushwire.redisUrl).toBe(sentinel);
    expect(load({ configDir: null, env: { REDIS_URL: 'rediss+cluster://n1:7000,n2:7001' } }).pushwire.redisUrl).toBe(
      'rediss+cluster://n1:7000,n2:7001',
    );
    const nodes = { REDIS_URL: 'rediss://app:pw@ignored:6379', REDIS_CLUSTER_NODES: 'n1:7000, n2:7001' };
    expect(load({ configDir: null, env: nodes }).pushwire.redisUrl).toBe('rediss+cluster://app:pw@n1:7000,n2:7001');
    expect(loadError({ configDir: null, env: { REDIS_CLUSTER_NODES: 'n1' } })).toMatchObject({
      key: 'REDIS_CLUSTER_NODES',
    });
    expect(loadError({ configDir: null, env: { REDIS_URL: sentinel, REDIS_CLUSTER_NODES: 'n1:7000' } })).toMatchObject({
      key: 'REDIS_CLUSTER_NODES',
    });
  });

  it.each([
    ['REDIS_URL', 'http://127.0.0.1:6379', 'must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL'],
    ['PUSHWIRE_SYNC_WAIT_MS', '4s', 'must be a whole number, got "4s"'],
    ['PUSHWIRE_RETRY_BASE_MS', '0', 'must be at least 1, got "0"'],
    ['PUSHWIRE_PREFIX', 'a b', 'must be non-empty, without spaces or braces, got "a b"'],
    ['PUSHWIRE_MAX_BODY_BYTES', '-1', 'must be a whole number, got "-1"'],
    ['PUSHWIRE_WORKER_CONCURRENCY', '1.5', 'must be a whole number, got "1.5"'],
    ['PUSHWIRE_MAX_QUEUE_DEPTH', '-5', 'must be a whole number, got "-5"'],
    ['PUSHWIRE_CIRCUIT_THRESHOLD', '0', 'must be at least 1, got "0"'],
    ['PUSHWIRE_CIRCUIT_COOLDOWN_MS', '30s', 'must be a whole number, got "30s"'],
  ])('refuses a bad %s, naming it', (name, value, reason) => {
    expect(loadError({ configDir: null, env: { [name]: value } })).toMatchObject({
      file: 'environment',
      key: name,
      reason,
    });
  });

  it('never echoes a bad REDIS_URL, which may hold a password', () => {
    expect(loadError({ configDir: null, env: { REDIS_URL: 'secret-password' } }).message).not.toContain(
      'secret-password',
    );
  });
});
