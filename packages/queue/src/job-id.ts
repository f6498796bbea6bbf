// Job ids double as idempotency keys (DECISIONS 9): the same push accepted twice is one job.
import { createHash } from 'node:crypto';
import type { PushRequest } from '@pushwire/core';

function digest(parts: readonly string[]): string {
  // Length-prefixed, so no two different tuples feed the hash the same bytes.
  const h = createHash('sha256');
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:${p};`);
  return h.digest('hex').slice(0, 40);
}

/**
 * v1 key = (app-id, platform, token, event, call-id). Hashed because BullMQ ids may not contain ':'
 * (SIP Call-IDs can) nor be integers; the call-id stays readable as the job *name*.
 */
export function v1JobId(req: Pick<PushRequest, 'appId' | 'platform' | 'token' | 'event' | 'callId'>): string {
  return `v1-${digest([req.appId, req.platform, req.token, req.event, req.callId])}`;
}

/** v2 key = (account, device-id, event, call-id) (DECISIONS 9). */
export function v2JobId(key: { account: string; deviceId: string; event: string; callId: string }): string {
  return `v2-${digest([key.account, key.deviceId, key.event, key.callId])}`;
}
