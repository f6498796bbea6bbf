import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PushwireRedis } from './redis-client.js';
import { RedisLinkWatch } from './redis-link-watch.js';

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('RedisLinkWatch', () => {
  it('counts a connection that ended without its owner closing it as down, from when it went', async () => {
    let now = 1_000;
    const links = new RedisLinkWatch(() => now);
    const client = links.watch(new PushwireRedis(URL, { retryStrategy: () => null }));
    await once(client, 'ready');
    expect([links.down(), links.downForMs()]).toEqual([0, 0]);
    // A server-side kill with no retry left: the client ends, but nobody closed it.
    const id = await client.client('ID');
    const killer = new PushwireRedis(URL);
    const ended = once(client, 'end');
    await killer.client('KILL', 'ID', String(id));
    await ended;
    now += 4_000;
    expect([links.down(), links.downForMs()]).toEqual([1, 4_000]);
    killer.disconnect();
  });

  it('forgets a connection its owner closes, and follows one back to ready', async () => {
    let now = 0;
    const links = new RedisLinkWatch(() => now);
    const client = links.watch(new PushwireRedis(URL));
    await once(client, 'ready');
    client.disconnect(true);
    now = 500;
    await once(client, 'ready');
    expect(links.down()).toBe(0);
    client.disconnect();
    await once(client, 'end');
    now = 10_000;
    expect([links.down(), links.downForMs()]).toEqual([0, 0]);
  });

  it('closes a connection that waits to reconnect: status end, queued commands rejected', async () => {
    // Nothing listens on port 1: the client goes straight to waiting for its next attempt.
    const client = new PushwireRedis({
      port: 1,
      host: '127.0.0.1',
      retryStrategy: () => 60_000,
      maxRetriesPerRequest: null,
    });
    client.on('error', () => undefined);
    await new Promise((resolve) => client.once('reconnecting', resolve));
    const queued = client.ping();
    const ended = once(client, 'end');
    client.disconnect();
    await ended;
    expect(client.status).toBe('end');
    await expect(queued).rejects.toThrow(/Connection is closed/);
  });

  it('duplicates keep that behaviour', () => {
    const client = new PushwireRedis({ lazyConnect: true });
    expect(client.duplicate({ lazyConnect: true })).toBeInstanceOf(PushwireRedis);
    client.disconnect();
  });
});
