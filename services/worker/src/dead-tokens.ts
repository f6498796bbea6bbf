// What happens to a token the push service declared dead: v2 devices are removed from storage (only if
// the device still holds that token), v1 tokens are announced on an event stream for the caller to act on.
import type { PushResult } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import type { PushJobData } from '@pushwire/queue';
import type { TokenStorage } from '@pushwire/storage';
import type { Redis } from 'ioredis';

export interface DeadTokenDeps {
  storage: TokenStorage | null;
  redis: Redis;
  prefix: string;
  logger: Logger;
}

/** Stream of dead-token events (`XRANGE <prefix>:events - +`), capped so it never grows without bound. */
export function eventStreamKey(prefix: string): string {
  return `${prefix}:events`;
}

export async function handleDeadToken(data: PushJobData, result: PushResult, deps: DeadTokenDeps): Promise<void> {
  const { request, v2 } = data;
  if (v2 && deps.storage) {
    const outcome = await deps.storage.remove(v2.account, v2.appId, v2.deviceId, { onlyIfToken: v2.storedToken });
    deps.logger.info(
      { event: 'dead-token', account: v2.account, device_id: v2.deviceId, outcome },
      `Removing ${v2.deviceId} from ${v2.account}`,
    );
  }
  await deps.redis.xadd(
    eventStreamKey(deps.prefix),
    'MAXLEN',
    '~',
    '100000',
    '*',
    'type',
    'dead-token',
    'app_id',
    request.appId,
    'platform',
    request.platform,
    'token',
    request.token,
    'call_id',
    request.callId,
    'code',
    String(result.code),
    'reason',
    result.reason,
    ...(v2 ? ['account', v2.account, 'device_id', v2.deviceId] : []),
  );
}
