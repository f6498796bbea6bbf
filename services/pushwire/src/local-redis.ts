// Runs a private `redis-server` child: the embedded default when no Redis answers, and the tests' own
// instances (those that stop or restart Redis must not touch the machine's).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';

export interface LocalRedisOptions {
  /** Data directory (AOF/RDB files, log). */
  dir: string;
  /** Default: a free port. */
  port?: number;
  /** `always` for the crash-safety tests (docs/decisions/0010-accepted-means-stored.md); default no persistence. */
  appendfsync?: 'always' | 'everysec' | null;
}

export interface LocalRedis {
  readonly port: number;
  readonly url: string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** Start again on the same port and data directory. */
  restart(): Promise<void>;
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      'redis-server is not installed and no Redis answers on REDIS_URL. Install it ' +
        '(Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`) or set REDIS_URL.',
    );
    this.name = 'RedisNotInstalledError';
  }
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** True when something answers PING on host:port. */
export async function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  if (!redisServerInstalled()) throw new RedisNotInstalledError();
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  let child: ChildProcess | null = null;

  const launch = async () => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      options.dir,
      '--save',
      '',
      '--logfile',
      join(options.dir, 'redis.log'),
      '--maxmemory-policy',
      'noeviction',
    ];
    if (options.appendfsync) args.push('--appendonly', 'yes', '--appendfsync', options.appendfsync);
    else args.push('--appendonly', 'no');
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    child = proc;
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) =>
        reject(new Error(`redis-server exited with ${code}; see ${join(options.dir, 'redis.log')}`)),
      ),
    );
    const deadline = Date.now() + 10_000;
    const ready = (async () => {
      while (!(await redisAnswers('127.0.0.1', port))) {
        if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    await Promise.race([ready, exited]);
    exited.catch(() => undefined);
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
    child = null;
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
