// Builds ingest's audit side from the configuration: the per-call history writer and reader, Bull Board over
// the configured apps' queues, and the retention finished jobs get; a reload swaps login, redaction and queues.
import {
  DEFAULT_ADMIN_ALLOWED_HOSTS,
  DEFAULT_ADMIN_CONFIG,
  type AdminConfig,
  type PushwireConfig,
  errorMessage,
} from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { CallHistory } from '@pushwire/queue';
import { isClusterUrl } from '@pushwire/redis';
import type { Redis } from 'ioredis';
import { NetworkSet } from '../callers/network-set.js';
import type { IngestDeps } from '../ingest-deps.js';
import { BOARD_PATH } from './audit-deps.js';
import { createBoard } from './board.js';
import { BoardQueues } from './board-queues.js';

export interface AuditOptions {
  /** Ingest's fail-fast connection: history records and the board's reads share it. */
  redis: Redis;
  config: PushwireConfig;
  logger: Logger;
}

export interface RunningAudit {
  /** For the ingest's deps: the history hook at acceptance, and the /admin and /v1/calls endpoints. */
  deps: Required<Pick<IngestDeps, 'callHistory' | 'audit'>>;
  /** How long finished jobs are kept (BullMQ removeOnComplete/removeOnFail), fixed until a restart. */
  retention: { ageMs: number; count: number };
  /** A reloaded configuration: new login, redaction and apps take effect; retention needs a restart. */
  reload(config: PushwireConfig): void;
  close(): Promise<void>;
}

export function startAudit(options: AuditOptions): RunningAudit {
  const { redis, config, logger } = options;
  const prefix = config.pushwire.prefix;
  let admin: AdminConfig = config.admin ?? DEFAULT_ADMIN_CONFIG;
  // Jobs get their removal age when queued, so the history's lifetime stays the one they were given.
  const retention = { ageMs: admin.retentionMs, count: admin.retentionJobs };
  const cluster = isClusterUrl(config.pushwire.redisUrl);
  const historyFor = (settings: AdminConfig) =>
    new CallHistory(redis, {
      prefix,
      ttlMs: retention.ageMs,
      recentCalls: retention.count,
      cluster,
      redactContent: settings.redactContent,
      onError: (error, callId) =>
        logger.warn({ err: errorMessage(error), call_id: callId }, 'call history record not stored'),
      onPruneError: (error) =>
        logger.warn({ err: errorMessage(error) }, 'call history pruning failed (retried after the next push)'),
    });
  let history = historyFor(admin);
  const hostsFor = (settings: AdminConfig) =>
    settings.allowedHosts === null ? null : new NetworkSet(settings.allowedHosts ?? DEFAULT_ADMIN_ALLOWED_HOSTS);
  let allowedHosts = hostsFor(admin);
  const queues = new BoardQueues({ redis, prefix, cluster });
  const board = createBoard({
    basePath: BOARD_PATH,
    queues: queues.forApps(config.apps),
    redactContent: () => admin.redactContent,
  });
  if (admin.credentials === null) {
    logger.info('audit board (/admin) and call history API (/v1/calls) are off: no [admin] credentials configured');
  } else {
    logger.info(
      `audit board on ${BOARD_PATH} and call history on /v1/calls/{call-id} for user ${admin.credentials.username}`,
    );
  }

  return {
    deps: {
      callHistory: { accepted: (inputs) => history.accepted(inputs) },
      audit: {
        credentials: () => admin.credentials,
        allowedHosts: () => allowedHosts,
        history: { read: (callId) => history.read(callId) },
        board: board.app,
      },
    },
    retention,
    reload(next) {
      admin = next.admin ?? DEFAULT_ADMIN_CONFIG;
      void history.close();
      history = historyFor(admin);
      allowedHosts = hostsFor(admin);
      board.setQueues(queues.forApps(next.apps));
    },
    close: async () => {
      await history.close();
      await queues.close();
    },
  };
}
