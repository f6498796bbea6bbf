// A private redis-server that speaks only TLS and only to an ACL user (the default user is off), with a
// certificate from a CA made for the test: what a managed Redis with AUTH and TLS looks like.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../services/pushwire/src/local-redis.js';
import { createTestCa } from '@pushwire/sandbox-emulators';

export interface TlsRedis {
  readonly port: number;
  /** `rediss://<user>:<password>@127.0.0.1:<port>` */
  readonly url: string;
  /** The same server with another password in the URL. */
  urlWithPassword(password: string): string;
  /** PEM file of the CA that signed the server certificate (what PUSHWIRE_REDIS_CA names). */
  readonly caFile: string;
  /** A client logged in as the ACL user, trusting the CA. */
  connect(): Redis;
  stop(): Promise<void>;
}

export async function startTlsRedis(dir: string, user: string, password: string): Promise<TlsRedis> {
  mkdirSync(dir, { recursive: true });
  const ca = createTestCa('Pushwire Redis Test CA');
  const server = ca.issueServer('redis.test');
  const caFile = join(dir, 'redis-ca.pem');
  writeFileSync(caFile, ca.cert);
  writeFileSync(join(dir, 'redis.crt'), server.cert);
  writeFileSync(join(dir, 'redis.key'), server.key);
  const port = await freePort();
  // `--port 0`: no plain-text port at all. `--tls-auth-clients no`: server-side TLS only (no client certificate).
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      join(dir, 'redis.crt'),
      '--tls-key-file',
      join(dir, 'redis.key'),
      '--tls-ca-cert-file',
      caFile,
      '--tls-auth-clients',
      'no',
      '--user',
      user,
      'on',
      `>${password}`,
      '~*',
      '&*',
      '+@all',
      '--user',
      'default',
      'off',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--dir',
      dir,
      '--logfile',
      join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => (exited = true));

  const urlWithPassword = (pw: string) => `rediss://${user}:${encodeURIComponent(pw)}@127.0.0.1:${port}`;
  const connect = () =>
    new Redis(urlWithPassword(password), {
      tls: { ca: ca.cert },
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
  const stop = async () => {
    if (exited) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await done;
  };

  // Ready once a TLS client logged in as the user gets PONG.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`redis-server (TLS) exited at start; see ${join(dir, 'redis.log')}`);
    const probe = connect();
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') break;
    } catch {
      // not listening yet
    } finally {
      probe.disconnect();
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server (TLS) on ${port} did not answer within 10 s; see ${join(dir, 'redis.log')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, url: urlWithPassword(password), urlWithPassword, caFile, connect, stop };
}
