// Builds the ingest app for in-process tests (Hono's app.request, no port) on the machine's Redis.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { AppTypeRules, Platform, PushResult } from '@pushwire/core';
import { LINPHONE_RULES, SYLK_RULES } from '@pushwire/core';
import { createLogger } from '@pushwire/logging';
import { IdempotencyStore, jobKeyOf, pushQueueName, ResultListener } from '@pushwire/queue';
import { createProducerRedis, createWorkerRedis, RateLimiter } from '@pushwire/redis';
import { RedisTokenStorage } from '@pushwire/storage';
import { AccessList } from '../access-list.js';
import { createIngestApp } from '../app.js';
import type { IngestDeps } from '../ingest-deps.js';
import { IngestSettingsHolder, type IngestSettings } from '../ingest-settings.js';
import { PushProducer } from '../push-producer.js';

export const TEST_APPS: Record<string, AppTypeRules> = {
  'com.example.sylk/apple': SYLK_RULES,
  'com.example.sylk/firebase': SYLK_RULES,
  'com.example.linphone/apple': LINPHONE_RULES,
};

/** Overrides of the deps, and of the reloadable settings (answer mode, access list, apps, policy). */
export type TestIngestOverrides = Partial<IngestDeps> &
  Partial<IngestSettings> & { redisUrl?: string; idempotencyMaxKeys?: number };

export async function createTestIngest(overrides: TestIngestOverrides = {}) {
  const redisUrl = overrides.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `pwtest-${randomUUID()}`;
  const redis = createProducerRedis(redisUrl);
  redis.on('error', () => undefined);
  const results = new ResultListener<PushResult>({
    redis,
    createSubscriber: () => createWorkerRedis(redisUrl),
    prefix,
    pollMs: 50,
  });
  const producer = new PushProducer({ redis, prefix, retryBaseMs: 500 });
  const logLines: string[] = [];
  const logger = createLogger({
    name: 'ingest-test',
    level: 'debug',
    destination: new Writable({
      write: (c, _e, cb) => {
        logLines.push(String(c));
        cb();
      },
    }),
  });
  const {
    returnAsync,
    accessList,
    lookupApp,
    disabledApps,
    enabledApps,
    policy,
    callers,
    redisUrl: _url,
    idempotencyMaxKeys,
    ...depOverrides
  } = overrides;
  const settings = new IngestSettingsHolder({
    returnAsync: returnAsync ?? false,
    accessList: accessList ?? new AccessList([]),
    lookupApp: lookupApp ?? ((appId: string, platform: Platform) => TEST_APPS[`${appId}/${platform}`]),
    disabledApps: disabledApps ?? [],
    enabledApps: enabledApps ?? Object.keys(TEST_APPS).length,
    ...(policy ? { policy } : {}),
    ...(callers ? { callers } : {}),
  });
  const deps: IngestDeps = {
    logger,
    settings,
    syncWaitMs: 200,
    maxBodyBytes: 4096,
    producer,
    results,
    idempotency: new IdempotencyStore({ redis, prefix, maxKeys: idempotencyMaxKeys }),
    jobKey: (appId, platform, jobId) => jobKeyOf(prefix, pushQueueName(appId, platform), jobId),
    storage: new RedisTokenStorage({ redis, prefix }),
    clientAddress: () => '127.0.0.1',
    rateLimiter: new RateLimiter({ redis, prefix }),
    accepting: () => true,
    redisReady: () => redis.status === 'ready',
    ...depOverrides,
  };
  const app = createIngestApp(deps);
  if (!overrides.redisUrl)
    await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  if (!overrides.results) await results.start();
  return {
    app,
    prefix,
    redis,
    logLines,
    /** The reloadable settings, to swap in a policy built on this ingest's prefix. */
    settingsHolder: settings,
    async close() {
      const keys = redis.status === 'ready' ? await redis.keys(`${prefix}:*`) : [];
      if (keys.length) await redis.del(...keys);
      await producer.close();
      await results.close();
      redis.disconnect();
    },
  };
}
