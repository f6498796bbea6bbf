// The queues the audit board shows: each configured app's push queue, and its log-sink queue when it has sinks.
import type { AppConfig } from '@pushwire/core';
import { sinkQueueName } from '@pushwire/log-sinks';
import { pushQueueName, QueueHandles } from '@pushwire/queue';
import type { Queue } from 'bullmq';
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
  // A Redis hiccup shows as an error on the board's request.
  private readonly queues: QueueHandles;

  constructor(options: BoardQueuesOptions) {
    this.queues = new QueueHandles({ redis: options.redis, prefix: options.prefix, cluster: options.cluster ?? false });
  }

  /** The queues of these apps, in config order: push queues, then sink queues. */
  forApps(apps: readonly Pick<AppConfig, 'appId' | 'platform' | 'logRemote'>[]): Queue[] {
    const names = [
      ...apps.map((a) => pushQueueName(a.appId, a.platform)),
      ...apps.filter((a) => a.logRemote.urls.length > 0).map((a) => sinkQueueName(a.appId, a.platform)),
    ];
    return [...new Set(names)].map((name) => this.queues.get(name));
  }

  async close(): Promise<void> {
    await this.queues.close();
  }
}
