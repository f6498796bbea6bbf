// The embedded default: use REDIS_URL if set; else 127.0.0.1:6379 if it answers; else start a private
// redis-server with its data under the project folder (or say exactly what to install).
import { join } from 'node:path';
import type { Logger } from '@pushwire/logging';
import { redisAnswers, startLocalRedis, type LocalRedis } from './local-redis.js';

export interface EnsuredRedis {
  url: string;
  /** Set when Pushwire started its own redis-server. */
  local: LocalRedis | null;
}

/**
 * @param defaultPort where a local Redis is looked for (6379; tests pass a port with nothing on it).
 */
export async function ensureRedis(
  env: NodeJS.ProcessEnv,
  home: string,
  logger: Logger,
  defaultPort = 6379,
): Promise<EnsuredRedis> {
  if (env.REDIS_URL) return { url: env.REDIS_URL, local: null };
  if (await redisAnswers('127.0.0.1', defaultPort)) return { url: `redis://127.0.0.1:${defaultPort}`, local: null };
  const dir = join(home, 'redis');
  logger.warn(`no Redis on 127.0.0.1:${defaultPort}: starting a private redis-server (data in ${dir})`);
  const local = await startLocalRedis({ dir, port: defaultPort, appendfsync: 'everysec' });
  return { url: local.url, local };
}
