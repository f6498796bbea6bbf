// Puts accepted pushes on their app's queue; "accepted" means Redis acknowledged the job (docs/decisions/0010-accepted-means-stored.md).
import { errorMessage } from '@pushwire/core';
import type { Platform } from '@pushwire/core';
import {
  jobKeyOf,
  PUSH_JOB_FORMAT,
  pushJobOptions,
  pushQueueName,
  QueueHandles,
  type PushJobData,
} from '@pushwire/queue';
import { queuePrefix, type ClusterReplicaAck } from '@pushwire/redis';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface PushProducerOptions {
  /** A fail-fast connection (createProducerRedis), shared by every queue. */
  redis: Redis;
  /** BullMQ key prefix. */
  prefix: string;
  /** Base of Sylk's exponential backoff, ms. */
  retryBaseMs: number;
  /**
   * The configured apps: their queues are made at once. BullMQ initialises a queue with a command of its own;
   * made lazily on a connection that just came back, that command can fail and a good push would get 503.
   */
  apps?: readonly { appId: string; platform: Platform }[];
  /** Redis Cluster: each queue's keys get their own hash tag (`queuePrefix`). Default false. */
  cluster?: boolean;
  /**
   * `PUSHWIRE_REDIS_MIN_REPLICAS`: a push is accepted only once this many replicas acknowledged it too
   * (Redis `WAIT`), so a failover to a replica loses nothing accepted. Default 0 (the primary's word).
   */
  minReplicas?: number;
  /**
   * On a Redis Cluster, with `minReplicas`: where WAIT is sent (the primary of each slot written to), since
   * the cluster client's own connection has no single primary to ask. Required then.
   */
  clusterReplicas?: ClusterReplicaAck;
  /** How long finished jobs are kept for the audit board (`[admin] retention_*`). Default: pushJobOptions' own. */
  retention?: { ageMs: number; count: number };
}

/** Redis did not acknowledge the job: nothing was accepted. */
export class QueueUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`push queue unavailable: ${errorMessage(cause)}`, { cause });
    this.name = 'QueueUnavailableError';
  }
}

/** Bound on Redis acknowledging one job; past it the caller hears 503 (the job may still land: at-least-once). */
export const ADD_TIMEOUT_MS = 3000;

export class PushProducer {
  private readonly queues: QueueHandles<PushJobData>;

  constructor(private readonly options: PushProducerOptions) {
    this.queues = new QueueHandles<PushJobData>({
      redis: options.redis,
      prefix: options.prefix,
      cluster: options.cluster ?? false,
    });
    this.addApps(options.apps ?? []);
  }

  /** Makes the queues of apps added by a configuration reload. */
  addApps(apps: readonly { appId: string; platform: Platform }[]): void {
    for (const app of apps) this.queue(app.appId, app.platform);
  }

  /**
   * Resolves once Redis (and `minReplicas` replicas) acknowledged the job; `dependsOn`: other keys the push
   * needs that were written before it (a cancel's markers), held by the replicas as well.
   */
  async enqueue(jobId: string, data: PushJobData, dependsOn: readonly string[] = []): Promise<void> {
    const { request } = data;
    // BullMQ waits for a connection rather than failing; a caller must hear 503 at once instead.
    if (this.options.redis.status !== 'ready') throw new QueueUnavailableError(`redis is ${this.options.redis.status}`);
    let timer: NodeJS.Timeout | undefined;
    try {
      const add = this.queue(request.appId, request.platform).add(
        request.callId,
        // Stamped here, where every accepted push passes: workers of a later release know how to read it.
        { ...data, v: PUSH_JOB_FORMAT },
        pushJobOptions({
          jobId,
          mediaType: request.mediaType,
          retryBaseMs: this.options.retryBaseMs,
          retention: this.options.retention,
        }),
      );
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no acknowledgement within ${ADD_TIMEOUT_MS} ms`)), ADD_TIMEOUT_MS);
      });
      await Promise.race([add, timeout]);
      const replicas = this.options.minReplicas ?? 0;
      if (replicas > 0 && this.options.cluster) {
        if (!this.options.clusterReplicas) throw new Error('no replica acknowledgement on this Redis Cluster');
        await Promise.race([
          this.options.clusterReplicas.confirm([this.jobKey(request.appId, request.platform, jobId), ...dependsOn]),
          timeout,
        ]);
      } else if (replicas > 0) {
        // WAIT covers every write this connection made so far, this job's included.
        const acknowledged = await Promise.race([this.options.redis.wait(replicas, ADD_TIMEOUT_MS), timeout]);
        if (acknowledged < replicas)
          throw new Error(`only ${acknowledged} of ${replicas} replicas acknowledged the job`);
      }
    } catch (error) {
      throw new QueueUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.queues.close();
  }

  private jobKey(appId: string, platform: Platform, jobId: string): string {
    const name = pushQueueName(appId, platform);
    return jobKeyOf(queuePrefix(this.options.prefix, name, this.options.cluster ?? false), name, jobId);
  }

  // Connection errors are reported per add (503).
  private queue(appId: string, platform: Platform): Queue<PushJobData> {
    return this.queues.get(pushQueueName(appId, platform));
  }
}
