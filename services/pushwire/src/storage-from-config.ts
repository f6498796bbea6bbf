// Opens the v2 token storage the config chooses (docs/decisions/0006-token-storage.md), for the services and the tokens CLI.
import { join } from 'node:path';
import type { PushwireConfig } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { createProducerRedis, isClusterUrl, type RedisLinkWatch } from '@pushwire/redis';
import { createTokenStorage, type TokenStorage } from '@pushwire/storage';

/** `links`: the process's watch on its Redis connections (readiness, metrics); the storage's joins it. */
export async function openTokenStorage(
  config: PushwireConfig,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  links?: RedisLinkWatch,
): Promise<TokenStorage> {
  const backend = env.PUSHWIRE_TOKEN_STORAGE;
  if (backend !== undefined && backend !== 'redis' && backend !== 'file') {
    throw new Error(`PUSHWIRE_TOKEN_STORAGE must be redis or file, not ${JSON.stringify(backend)}`);
  }
  // Only the Redis backend uses it; the storage leaves it open, so closing the storage closes it here.
  const redis = createProducerRedis(config.pushwire);
  redis.on('error', () => undefined);
  const { storage, warning } = await createTokenStorage({
    cassandra: config.cassandra,
    backend,
    spoolDir: config.server.spoolDir,
    redis,
    prefix: config.pushwire.prefix,
    cluster: isClusterUrl(config.pushwire.redisUrl),
  });
  if (warning) logger.warn(warning);
  if (storage.kind === 'redis') links?.watch(redis);
  const closeStorage = storage.close.bind(storage);
  storage.close = async () => {
    await closeStorage();
    redis.disconnect();
  };
  logger.info(
    `Using ${storage.kind} for token storage${storage.kind === 'file' ? ` (${join(config.server.spoolDir, 'pushwire-tokens.json')})` : ''}`,
  );
  return storage;
}
