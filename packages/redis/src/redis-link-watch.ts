// Whether a process's Redis connections are up, and for how long one has not been: for /readyz and a metric,
// so a process that lost its Redis (or never got a connection back after a failover) shows it.
import type { Redis } from 'ioredis';
import { PushwireRedis } from './redis-client.js';

export class RedisLinkWatch {
  /** Each watched connection, with when it stopped being ready (null while it is ready). */
  private readonly links = new Map<Redis, { downSince: number | null; off: () => void }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Follows `client` until {@link unwatch}, or until its owner closes it (a PushwireRedis knows; any other
   * client must be unwatched before it is closed, or it counts as lost).
   */
  watch<T extends Redis>(client: T): T {
    if (this.links.has(client)) return client;
    const link = { downSince: client.status === 'ready' ? null : this.now(), off: () => undefined };
    const up = () => (link.downSince = null);
    const down = () => {
      if (client instanceof PushwireRedis && client.closedByOwner) this.unwatch(client);
      else link.downSince ??= this.now();
    };
    client.on('ready', up);
    client.on('close', down);
    client.on('end', down);
    link.off = () => {
      client.off('ready', up);
      client.off('close', down);
      client.off('end', down);
    };
    this.links.set(client, link);
    return client;
  }

  unwatch(client: Redis): void {
    this.links.get(client)?.off();
    this.links.delete(client);
  }

  /** Connections not ready now. */
  down(): number {
    let n = 0;
    for (const link of this.links.values()) if (link.downSince !== null) n++;
    return n;
  }

  /** How long the connection down the longest has been down, ms; 0 when every one is up. */
  downForMs(): number {
    let since = Number.POSITIVE_INFINITY;
    for (const link of this.links.values())
      if (link.downSince !== null && link.downSince < since) since = link.downSince;
    return since === Number.POSITIVE_INFINITY ? 0 : Math.max(0, this.now() - since);
  }
}
