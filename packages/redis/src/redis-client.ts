// The ioredis client every Pushwire connection uses (and BullMQ's copies of it, made with duplicate()):
// ioredis's own, except that closing a connection that is waiting to reconnect really closes it.
import { Redis, type RedisOptions } from 'ioredis';
// Only the reply-mapping type that duplicate()'s signature is written with (the package has no exports map).
import type { ReplyMappingFromOptions } from 'ioredis/built/types.js';

/** Pushwire speaks RESP2 replies ("legacy" mapping) on every connection. */
type LegacyOptions = RedisOptions & { replyMapping?: 'legacy' };

export class PushwireRedis extends Redis {
  private ownerClosed = false;

  /** A URL (`redis://…`) with options, or options alone. */
  constructor(target: string | RedisOptions, options: RedisOptions = {}) {
    if (typeof target === 'string') super(target, options as LegacyOptions);
    else super({ ...target, ...options } as LegacyOptions);
  }

  /**
   * ioredis ends a connection that is waiting to reconnect (its Redis down, or just restarted) without ever
   * reaching 'end': the status stays `reconnecting`, queued commands never settle and nothing is emitted,
   * so whoever waits for the close (BullMQ's worker close waits for its blocking connection's 'end') waits
   * forever. Such a connection has no socket left to close: it is closed the way ioredis closes one that
   * never connected (status `end`, queued commands rejected, 'end' emitted).
   */
  override disconnect(reconnect = false): void {
    if (!reconnect) this.ownerClosed = true;
    if (!reconnect && this.status === 'reconnecting') this.status = 'wait';
    super.disconnect(reconnect);
  }

  /** Closed on purpose (disconnect()), as opposed to lost. */
  get closedByOwner(): boolean {
    return this.ownerClosed;
  }

  /** BullMQ copies a connection for its blocking commands: the copy gets the same behaviour. */
  override duplicate<Override extends Partial<RedisOptions> | undefined = undefined>(
    override?: Override,
  ): Redis<ReplyMappingFromOptions<'legacy', Override>> {
    return new PushwireRedis({ ...this.options, ...override } as LegacyOptions) as Redis as Redis<
      ReplyMappingFromOptions<'legacy', Override>
    >;
  }
}
