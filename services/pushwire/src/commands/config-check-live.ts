// `pushwire config check --live`: proves each enabled app's credentials against its push service without
// notifying anyone (APNs: a dummy device token; FCM and Huawei: an OAuth grant and a dry run; Web Push: a
// VAPID-signed push to a subscription that does not exist), one line per app.
import { RedisProviderTokens, type ProviderTokenSource } from '@pushwire/apns';
import { getAppType } from '@pushwire/apps';
import {
  redactUrlPassword,
  type AppConfig,
  type AppleAppConfig,
  type PushwireConfig,
  errorMessage,
} from '@pushwire/core';
import { connectRedis, type RedisTarget } from '@pushwire/redis';
import type { Redis } from 'ioredis';
import { LocalProviderTokens, probeApns, type ProbeVerdict } from './config-check-apns.js';
import { probeFcm } from './config-check-fcm.js';
import { probeHuawei } from './config-check-huawei.js';
import { probeWebPush } from './config-check-webpush.js';

export interface LiveCheckOptions {
  /** Deadline of each app's probe (connection, token and answer), ms. Default 10000. */
  timeoutMs?: number;
}

/**
 * The workers' Redis, for their shared APNs provider token: APNs answers TooManyProviderTokenUpdates when a key's
 * token changes more often than every 20 minutes, so the check must not bring a token of its own. Null when
 * Redis does not answer (the check then signs its own token, and says so).
 */
async function connectTokenRedis(target: RedisTarget): Promise<Redis | null> {
  const redis = connectRedis(target, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return null;
  }
}

/** One provider-token source per signing key for the whole run (as one worker process holds it). */
class TokenSources {
  private readonly sources = new Map<string, ProviderTokenSource>();

  constructor(
    private readonly redis: Redis | null,
    private readonly prefix: string,
  ) {}

  for(app: AppleAppConfig): ProviderTokenSource | undefined {
    const { auth } = app;
    if (auth.kind !== 'token') return undefined;
    const id = JSON.stringify([auth.teamId, auth.keyId, auth.keyPem]);
    let source = this.sources.get(id);
    if (!source) {
      source = this.redis
        ? new RedisProviderTokens({
            redis: this.redis,
            teamId: auth.teamId,
            keyId: auth.keyId,
            keyPem: auth.keyPem,
            prefix: this.prefix,
          })
        : new LocalProviderTokens(auth.teamId, auth.keyId, auth.keyPem);
      this.sources.set(id, source);
    }
    return source;
  }
}

async function probe(app: AppConfig, tokens: TokenSources, timeoutMs: number): Promise<ProbeVerdict> {
  const appType = getAppType(app.appType);
  if (!appType) return { ok: false, reason: `unknown app_type ${app.appType}` };
  try {
    if (app.platform === 'huawei') return await probeHuawei({ app, appType, timeoutMs });
    if (app.platform === 'webpush') return await probeWebPush(app, timeoutMs);
    return app.platform === 'apple'
      ? await probeApns({ app, appType, tokens: tokens.for(app), timeoutMs })
      : await probeFcm({ app, appType, timeoutMs });
  } catch (error) {
    // E.g. a signing key the APNs client refuses to load: a failed check, not a crash of the command.
    return { ok: false, reason: errorMessage(error) };
  }
}

/** Probes every enabled app (in parallel), prints one line each in config order; returns how many failed. */
export async function liveCheck(
  config: PushwireConfig,
  out: (line: string) => void,
  options: LiveCheckOptions = {},
): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const needsTokens = config.apps.some((a) => a.platform === 'apple' && a.auth.kind === 'token');
  // The settings, not the bare URL: PUSHWIRE_REDIS_CA applies here as for the services.
  const redis = needsTokens ? await connectTokenRedis(config.pushwire) : null;
  if (needsTokens && !redis) {
    out(
      `note     Redis at ${redactUrlPassword(config.pushwire.redisUrl)} unreachable: APNs provider tokens signed here, not the workers' shared ones`,
    );
  }
  try {
    const tokens = new TokenSources(redis, config.pushwire.prefix);
    const verdicts = await Promise.all(config.apps.map((app) => probe(app, tokens, timeoutMs)));
    config.apps.forEach((app, i) => {
      const { ok, reason } = verdicts[i]!;
      out(
        `${(ok ? 'OK' : 'FAIL').padEnd(8)} ${app.platform.padEnd(8)} ${app.appType.padEnd(9)} ${app.appId}: ${reason}`,
      );
    });
    return verdicts.filter((v) => !v.ok).length;
  } finally {
    redis?.disconnect();
  }
}
