// `PUSHWIRE_REDIS_MIN_REPLICAS` on a Redis Cluster: Redis `WAIT` sent to the primary that serves each slot an
// accepted push wrote to, so a push is answered 2xx only once that primary's replicas hold it too.
import type { Redis } from 'ioredis';
import { hashTagOf, keySlot } from './key-slot.js';

export interface ClusterReplicaAckOptions {
  /**
   * A Cluster client (as `connectRedis` returns it) of its own: WAIT blocks the node connection it is sent on,
   * and on a shared one every other command to that primary would queue behind it.
   */
  cluster: Redis;
  /** Replicas that must acknowledge. */
  replicas: number;
  /** WAIT's own bound, ms. */
  timeoutMs: number;
  /** Redis key prefix of the fence keys. */
  prefix: string;
}

/**
 * WAIT counts only the writes of the connection it is sent on, and the cluster client wrote the job on
 * whichever connection its slot map chose at the time (perhaps to a primary that has since died). So WAIT
 * follows a fence instead: on the slot's current primary, one script checks that every key is there and then
 * writes a fence key in the same slot; the primary's replication stream is ordered, so replicas that
 * acknowledged the fence hold the keys, whichever connection wrote them. Fence keys (one per slot in use)
 * expire when idle. ARGV[1]: their TTL, ms. Returns the first missing key, or false.
 */
const FENCE = `
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then return KEYS[i] end
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return false`;

const FENCE_TTL_MS = 60_000;

interface ClusterView {
  slots: string[][];
  nodes(role: 'master'): Redis[];
  refreshSlotsCache(callback?: (error?: Error | null) => void): void;
}

export class ClusterReplicaAck {
  private readonly view: ClusterView;

  constructor(private readonly options: ClusterReplicaAckOptions) {
    this.view = options.cluster as unknown as ClusterView;
  }

  /**
   * Resolves once `replicas` replicas of each key's primary hold the key (and every earlier write of its slot);
   * rejects when a key is missing on its slot's current primary (lost in a failover), when too few replicas
   * acknowledged within the timeout, or when the primary is unknown or unreachable.
   */
  async confirm(keys: readonly string[]): Promise<void> {
    const bySlot = new Map<number, string[]>();
    for (const key of keys) {
      const slot = keySlot(key);
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), key]);
    }
    try {
      await Promise.all([...bySlot].map(([slot, slotKeys]) => this.confirmSlot(slot, slotKeys)));
    } catch (error) {
      // Nothing else is routed through this client, so no MOVED reply tells it that a replica took over:
      // ask the cluster again after any failure (the client runs one refresh at a time).
      this.view.refreshSlotsCache();
      throw error;
    }
  }

  close(): void {
    this.options.cluster.disconnect();
  }

  private async confirmSlot(slot: number, keys: readonly string[]): Promise<void> {
    if (this.options.cluster.status !== 'ready') throw new Error(`redis cluster is ${this.options.cluster.status}`);
    const node = this.primaryOf(slot);
    // The client connects to a node lazily: connect first, so the fence and the WAIT after it share one socket.
    if (node.status !== 'ready') await node.ping();
    const socket = node.stream;
    const fence = `${this.options.prefix}:replica-fence:{${hashTagOf(keys[0]!)}}`;
    // Written back to back: WAIT reaches the primary right after the fence, on the same connection.
    const [missing, acknowledged] = await Promise.all([
      node.eval(FENCE, keys.length + 1, fence, ...keys, FENCE_TTL_MS) as Promise<string | null>,
      node.call('WAIT', this.options.replicas, this.options.timeoutMs) as Promise<number>,
    ]);
    if (missing !== null)
      throw new Error(`${missing} is not on the primary that now serves its slot (lost in a failover?)`);
    // A reconnect between the two would have sent WAIT on a connection that wrote nothing: it proves nothing.
    if (node.stream !== socket)
      throw new Error(`the connection to the primary of slot ${slot} changed while waiting for its replicas`);
    if (acknowledged < this.options.replicas)
      throw new Error(`only ${acknowledged} of ${this.options.replicas} replicas acknowledged the job`);
  }

  /** The node the cluster client's slot map names as the slot's primary. */
  private primaryOf(slot: number): Redis {
    const key = this.view.slots[slot]?.[0];
    const node =
      key === undefined
        ? undefined
        : this.view.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === key);
    if (!node) throw new Error(`no primary known for slot ${slot}`);
    return node;
  }
}
