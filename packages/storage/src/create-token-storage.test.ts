import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenStorage } from './create-token-storage.js';
import { FileTokenStorage } from './file-token-storage.js';
import { RedisTokenStorage } from './redis-token-storage.js';
import { device } from './test-support/token-storage-contract.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `pwtest-select-${randomUUID()}`;
const root = mkdtempSync(join(tmpdir(), 'pushwire-select-'));
const PICKLE = join(import.meta.dirname, '..', 'fixtures', 'webrtc_device_tokens');

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(root, { recursive: true, force: true });
});

function spoolDir(withPickle: boolean): string {
  const dir = mkdtempSync(join(root, 'spool-'));
  if (withPickle) copyFileSync(PICKLE, join(dir, 'webrtc_device_tokens'));
  return dir;
}

const cassandra = { contactPoints: ['127.0.0.1'], keyspace: 'sylk', table: 'push_tokens', debug: false };

describe('createTokenStorage', () => {
  it('chooses Cassandra whenever [Cassandra] has contact points, whatever else is asked', async () => {
    const { storage, warning } = await createTokenStorage({
      cassandra,
      backend: 'file',
      spoolDir: spoolDir(true),
      redis,
    });
    expect(storage.kind).toBe('cassandra');
    expect(warning).toBeNull();
    await storage.close();
  });

  it('chooses Redis by default, and warns with the import command while it is empty and a Sylk pickle exists', async () => {
    const spool = spoolDir(true);
    const first = await createTokenStorage({ cassandra: null, spoolDir: spool, redis, prefix });
    expect(first.storage).toBeInstanceOf(RedisTokenStorage);
    expect(first.warning).toBe(
      `A Sylk token file ${join(spool, 'webrtc_device_tokens')} exists but the redis token storage is empty: ` +
        `import its devices with \`pushwire tokens import ${join(spool, 'webrtc_device_tokens')}\``,
    );
    await first.storage.add('alice@example.com', device());
    const second = await createTokenStorage({ cassandra: null, spoolDir: spool, redis, prefix });
    expect(second.warning).toBeNull();
  });

  it('says nothing without a pickle', async () => {
    const { warning } = await createTokenStorage({
      cassandra: null,
      backend: 'redis',
      spoolDir: spoolDir(false),
      redis,
      prefix: `${prefix}-empty`,
    });
    expect(warning).toBeNull();
  });

  it('chooses the local file in spool_dir when asked, with the same warning', async () => {
    const spool = spoolDir(true);
    const { storage, warning } = await createTokenStorage({ cassandra: null, backend: 'file', spoolDir: spool });
    expect(storage).toBeInstanceOf(FileTokenStorage);
    expect((storage as FileTokenStorage).path).toBe(join(spool, 'pushwire-tokens.json'));
    expect(warning).toMatch(/the file token storage is empty: import its devices with `pushwire tokens import /);
    await storage.add('alice@example.com', device());
    expect(existsSync(join(spool, 'pushwire-tokens.json'))).toBe(true);
  });

  it('treats a [Cassandra] section without contact points as unset', async () => {
    const { storage } = await createTokenStorage({
      cassandra: { ...cassandra, contactPoints: [] },
      spoolDir: spoolDir(false),
      redis,
      prefix,
    });
    expect(storage.kind).toBe('redis');
  });

  it('needs a Redis connection for Redis', async () => {
    await expect(createTokenStorage({ cassandra: null, spoolDir: spoolDir(false) })).rejects.toThrow(
      /needs a redis connection/,
    );
  });
});
