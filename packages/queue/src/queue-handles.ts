// BullMQ Queue handles opened once per queue name, on one connection, with the key prefix the topology needs
// (a hash tag per queue on a Redis Cluster): what every reader or producer of queues needs.
import { queuePrefix } from '@pushwire/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface QueueHandlesOptions {
  /** The connection every handle shares. */
  redis: Redis;
  /** BullMQ key prefix. */
  prefix: string;
  /** Redis Cluster: each queue has a hash tag of its own (`queuePrefix`). Default false. */
  cluster?: boolean;
}

export class QueueHandles<T = unknown> {
  private readonly queues = new Map<string, Queue<T>>();

  constructor(private readonly options: QueueHandlesOptions) {}

  /** The handle of queue `name`, opened on first use. */
  get(name: string): Queue<T> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<T>(name, {
        connection: this.options.redis,
        prefix: queuePrefix(this.options.prefix, name, this.options.cluster ?? false),
      });
      // Failures surface per call (a rejected add or count); an unhandled 'error' event would crash the process.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((q) => q.close()));
  }
}
