// One configured app as the worker runs it: its config, its app type's builders and its push service.
import { ApnsProvider, RedisProviderTokens } from '@pushwire/apns';
import { getAppType, type AppType } from '@pushwire/apps';
import { appKey, type AppConfig, type Clock, type PushProvider } from '@pushwire/core';
import { FcmProvider } from '@pushwire/fcm';
import { HuaweiProvider } from '@pushwire/huawei';
import type { Logger } from '@pushwire/logging';
import { WebPushProvider } from '@pushwire/webpush';
import type { Redis } from 'ioredis';
import type { ApnsMetrics } from './metrics/apns-metrics.js';

export interface AppRuntime {
  config: AppConfig;
  appType: AppType;
  provider: PushProvider;
}

export interface AppRuntimeOptions {
  /** Shared connection for the APNs provider tokens and Huawei access tokens. */
  redis: Redis;
  prefix: string;
  clock?: Clock;
  requestTimeoutMs?: number;
  /** For connection events (GOAWAY, resets, keep-alive failures). */
  logger?: Logger;
  /** Counts APNs connections, GOAWAYs and provider-token age. Default: not counted. */
  apnsMetrics?: ApnsMetrics;
}

/** Builds one provider per app; exactly one APNs connection per app per worker process follows from this. */
export function createAppRuntimes(apps: readonly AppConfig[], options: AppRuntimeOptions): Map<string, AppRuntime> {
  const runtimes = new Map<string, AppRuntime>();
  for (const config of apps) {
    const appType = getAppType(config.appType);
    if (!appType) continue; // config validation already disabled it
    runtimes.set(appKey(config.appId, config.platform), { config, appType, provider: createProvider(config, options) });
  }
  return runtimes;
}

function createProvider(config: AppConfig, options: AppRuntimeOptions): PushProvider {
  if (config.platform === 'apple') {
    const { auth } = config;
    return new ApnsProvider({
      appId: config.appId,
      host: config.pushHost,
      port: config.pushPort,
      auth,
      caPem: config.caPem,
      requestTimeoutMs: options.requestTimeoutMs,
      ...(options.logger ? { log: options.logger.child({ app_id: config.appId, platform: 'apple' }) } : {}),
      ...(options.apnsMetrics ? { connectionObserver: options.apnsMetrics.connectionObserver(config.appId) } : {}),
      tokens:
        auth.kind === 'token'
          ? new RedisProviderTokens({
              redis: options.redis,
              teamId: auth.teamId,
              keyId: auth.keyId,
              keyPem: auth.keyPem,
              prefix: options.prefix,
              clock: options.clock,
              ...(options.apnsMetrics ? { onTokenUsed: options.apnsMetrics.tokenObserver(config.appId) } : {}),
            })
          : undefined,
    });
  }
  if (config.platform === 'huawei') {
    const { appId, pushUrl, tokenUrl, auth, caPem } = config;
    return new HuaweiProvider({
      appId,
      pushUrl,
      tokenUrl,
      auth,
      caPem,
      redis: options.redis,
      prefix: options.prefix,
      clock: options.clock,
      requestTimeoutMs: options.requestTimeoutMs,
    });
  }
  if (config.platform === 'webpush') {
    return new WebPushProvider({
      appId: config.appId,
      auth: config.auth,
      allowedHosts: config.allowedHosts,
      caPem: config.caPem,
      clock: options.clock,
      requestTimeoutMs: options.requestTimeoutMs,
    });
  }
  return new FcmProvider({
    appId: config.appId,
    pushUrl: config.pushUrl,
    auth: config.auth,
    caPem: config.caPem,
    clock: options.clock,
    requestTimeoutMs: options.requestTimeoutMs,
  });
}
