// `pushwire start` with no config: the sandbox (emulators + sample apps), ingest and worker in one
// process, and a push delivered at once — what a newcomer gets from the README's first command.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startLocalRedis } from '../../services/pushwire/src/local-redis.js';
import { spawnPushwire } from '../harness/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pushwire-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pushwire start (sandbox)', () => {
  it('serves a push to the bundled emulator, labels itself sandbox, and stops cleanly on SIGTERM', async () => {
    const redis = await startLocalRedis({ dir: join(dir, 'redis') });
    const port = await freePort();
    const proc = spawnPushwire(['start', '--port', String(port)], {
      REDIS_URL: redis.url,
      PUSHWIRE_HOME: join(dir, 'home'),
    });
    try {
      // The banner is printed once the listener is up.
      await proc.waitFor('SANDBOX MODE: pushes go to local APNs/FCM/Web Push emulators');
      const res = await fetch(`http://127.0.0.1:${port}/push`, {
        method: 'POST',
        body: JSON.stringify({
          'app-id': 'com.pushwire.sandbox.sylk.dev',
          platform: 'android',
          token: 'fcm-start-1',
          event: 'message',
          'call-id': 'start-1',
          from: 'alice@example.com',
          to: 'bob@example.com',
          'media-type': 'sms',
          silent: true,
        }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        code: 200,
        data: { platform: 'firebase', reason: 'OK', token: 'fcm-start-1' },
      });
      expect(await proc.stop('SIGTERM')).toBe(0);
    } finally {
      await proc.stop('SIGKILL');
      await redis.stop();
    }
  });

  it('refuses to start on a bad config directory, naming it', async () => {
    const proc = spawnPushwire(['start', '--config_dir', join(dir, 'missing')], { PUSHWIRE_HOME: join(dir, 'home2') });
    expect(await proc.stop('SIGCONT')).toBe(1);
    expect(proc.output()).toMatch(/Can not start: .*missing.*Specified config directory does not exist/);
  });

  it('config check says it could not check, not that it could not start', async () => {
    const proc = spawnPushwire(['config', 'check', '--config_dir', join(dir, 'missing')], {
      PUSHWIRE_HOME: join(dir, 'home3'),
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/^Can not check: .*missing.*Specified config directory does not exist/);
    expect(proc.output()).not.toContain('Can not start');
  });
});
