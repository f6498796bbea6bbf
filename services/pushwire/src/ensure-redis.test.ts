import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@pushwire/logging';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureRedis } from './ensure-redis.js';
import { freePort, redisAnswers } from './local-redis.js';

const home = mkdtempSync(join(tmpdir(), 'pushwire-home-'));
const lines: string[] = [];
const logger = createLogger({
  name: 't',
  destination: new Writable({
    write: (c, _e, cb) => {
      lines.push(String(c));
      cb();
    },
  }),
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('ensureRedis (the embedded default)', () => {
  it('uses REDIS_URL when set, without probing', async () => {
    expect(await ensureRedis({ REDIS_URL: 'redis://example:1' }, home, logger)).toEqual({
      url: 'redis://example:1',
      local: null,
    });
  });

  it('uses a Redis that answers on the default port', async () => {
    expect(await ensureRedis({}, home, logger, 6379)).toEqual({ url: 'redis://127.0.0.1:6379', local: null });
  });

  it('starts its own redis-server with data under the project folder when none answers', async () => {
    const port = await freePort();
    const ensured = await ensureRedis({}, home, logger, port);
    try {
      expect(ensured.url).toBe(`redis://127.0.0.1:${port}`);
      expect(await redisAnswers('127.0.0.1', port)).toBe(true);
      expect(existsSync(join(home, 'redis', 'redis.log'))).toBe(true);
      expect(lines.join('')).toContain('starting a private redis-server');
    } finally {
      await ensured.local?.stop();
    }
    expect(await redisAnswers('127.0.0.1', port)).toBe(false);
  });
});
