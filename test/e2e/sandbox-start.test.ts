// What a new operator meets on `pnpm start`: a second start leaves the running sandbox alone and says so in one
// line; the sandbox names its Redis and keeps its keys under a prefix of its own; `tokens list` and `calls show`
// find that data with no flag; a stop ends with a "stopped" line. (The password's redaction: redis-in-use.test.ts.)
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startLocalRedis, type LocalRedis } from '../../services/pushwire/src/local-redis.js';
import { spawnPushwire, type ChildService } from '../harness/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pushwire-sandbox-start-'));
const home = join(dir, 'home');
let redis: LocalRedis;
let port: number;
let first: ChildService;
/** PUSHWIRE_PREFIX empty: the runner's own must not decide the sandbox's prefix. */
const envFor = (pushwireHome: string) => ({ REDIS_URL: redis.url, PUSHWIRE_HOME: pushwireHome, PUSHWIRE_PREFIX: '' });

beforeAll(async () => {
  redis = await startLocalRedis({ dir: join(dir, 'redis') });
  port = await freePort();
  first = spawnPushwire(['start', '--port', String(port)], envFor(home));
  await first.waitFor('SANDBOX MODE');
});
afterAll(async () => {
  await first?.stop('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const push = (callId: string) =>
  fetch(`http://127.0.0.1:${port}/push`, {
    method: 'POST',
    body: JSON.stringify({
      'app-id': 'com.pushwire.sandbox.sylk.dev',
      platform: 'android',
      token: 'fcm-sandbox-1',
      event: 'message',
      'call-id': callId,
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'sms',
      silent: true,
    }),
  });

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const proc = spawnPushwire(args, env);
  return { code: await proc.exited, output: proc.output() };
}

describe('a second pushwire start', () => {
  it('on the same PUSHWIRE_HOME or the same port stops with one line, before writing anything', async () => {
    const applications = join(home, 'sandbox', 'applications.ini');
    const before = readFileSync(applications, 'utf8');

    const sameHome = await run(['start', '--port', String(port)], envFor(home));
    expect(sameHome.code).toBe(1);
    expect(sameHome.output.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^Pushwire is already listening on ${port} \\(sandbox in .*, pid ${first.pid}\\)`),
      ),
    ]);

    const otherHome = join(dir, 'home-2');
    const samePort = await run(['start', '--port', String(port)], envFor(otherHome));
    expect(samePort.code).toBe(1);
    expect(samePort.output.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^Pushwire is already listening on ${port} \\(http://127\\.0\\.0\\.1:${port}/\\)`),
      ),
    ]);
    expect(existsSync(join(otherHome, 'sandbox'))).toBe(false);

    // The running sandbox kept its files and its emulators.
    expect(readFileSync(applications, 'utf8')).toBe(before);
    expect((await push('second-start-1')).status).toBe(200);
  });
});

describe('the sandbox and its Redis', () => {
  it('logs the Redis it uses and keeps every key under its own prefix', async () => {
    expect(first.output()).toContain(
      `"Using Redis at redis://127.0.0.1:${redis.port} (from REDIS_URL), key prefix pushwire-sandbox"`,
    );
    expect((await push('prefix-1')).status).toBe(200);
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((k) => !k.startsWith('pushwire-sandbox:') && !k.startsWith('{pushwire-sandbox:'))).toEqual([]);
    } finally {
      client.disconnect();
    }
  });

  it('tokens list and calls show read the sandbox with no --config_dir', async () => {
    const added = await fetch(`http://127.0.0.1:${port}/v2/tokens/carol@example.com`, {
      method: 'POST',
      body: JSON.stringify({
        'app-id': 'com.pushwire.sandbox.sylk.dev',
        platform: 'firebase',
        token: 'fcm-carol-9',
        'device-id': 'carol-1',
      }),
    });
    expect(added.status).toBe(200);
    const tokens = await run(['tokens', 'list'], envFor(home));
    expect(tokens.code, tokens.output).toBe(0);
    expect(tokens.output.split('\n')).toContain('carol@example.com');

    expect((await push('cli-1')).status).toBe(200);
    const calls = await run(['calls', 'show', 'cli-1'], envFor(home));
    expect(calls.code, calls.output).toBe(0);
    expect(calls.output).toContain('call "cli-1": 1 push');
  });

  it('SIGTERM: the last line says stopped, and the lock is released', async () => {
    expect(await first.stop('SIGTERM')).toBe(0);
    const lines = first.output().trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ msg: 'stopped', signal: 'SIGTERM' });
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(false);
  });
});
