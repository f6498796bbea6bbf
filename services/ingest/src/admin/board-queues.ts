// The queues the audit board shows: each configured app's push queue, and its log-sink queue when it has sinks.
import { queuePrefix, type AppConfig } from '@pushwire/core';
import { sinkQueueName } from '@pushwire/log-sinks';
import { pushQueueName } from '@pushwire/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface BoardQueuesOptions {
  /** A connection shared by every queue (the board only reads). */
  redis: Redis;
  /** BullMQ key prefix. */
  prefix: string;
  /** Redis Cluster: each queue has a hash tag of its own (`queuePrefix`). Default false. */
  cluster?: boolean;
}

/** Queue handles by name, kept across reloads so a queue is opened once. */
export class BoardQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly options: BoardQueuesOptions) {}

  /** The queues of these apps, in config order: push queues, then sink queues. */
  forApps(apps: readonly Pick<AppConfig, 'appId' | 'platform' | 'logRemote'>[]): Queue[] {
    const names = [
      ...apps.map((a) => pushQueueName(a.appId, a.platform)),
      ...apps.filter((a) => a.logRemote.urls.length > 0).map((a) => sinkQueueName(a.appId, a.platform)),
    ];
    return [...new Set(names)].map((name) => this.open(name));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  private open(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.redis, prefix: queuePrefix(this.options.prefix, name, this.options.cluster ?? false) });
      // A Redis hiccup shows as an error on the board's request; an unhandled 'error' event would crash ingest.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }
}
