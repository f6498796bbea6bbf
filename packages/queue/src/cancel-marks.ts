// Cancel markers (docs/decisions/0009-idempotency-and-cancel.md): ingest marks a call cancelled before it enqueues the cancel; a worker checks
// the mark before it sends a wake-up of that call. Matched by app-id and call-id (and device-id when both
// carry one), never by token: the wake-up goes to the VoIP token, the cancel to the background one.
import { keyPart } from '@pushwire/redis';
import type { Redis } from 'ioredis';

/** Who a cancel (or a wake-up) is for. */
export interface CallScope {
  appId: string;
  callId: string;
  /** `device-id` of the request (v2: the stored device), or null when it names none. */
  deviceId: string | null;
}

export interface CancelMarksOptions {
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
}

// Keeps the later of two cancel times (ingests may race) and (re)sets the TTL. ARGV: time (ms), TTL (ms).
const MARK = `
for _, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key))
  if current == nil or current < tonumber(ARGV[1]) then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  else
    redis.call('PEXPIRE', key, ARGV[2])
  end
end
return #KEYS`;

/**
 * Keys are `<prefix>:cancelled:{<app-id>:<call-id>}` for a cancel without a device, plus, for one with
 * device D, `...:device:<D>` and `...:any-device` (so a wake-up that names no device still sees it). Each
 * part is URI-encoded: SIP Call-IDs may contain `:`, which would otherwise make two calls share a key, and
 * `{`/`}`, which would break the hash tag that keeps one call's keys in one Redis Cluster slot.
 * A key holds the acceptance time (ms since epoch) of the latest cancel of that scope: a cancel supersedes
 * only wake-ups accepted before it, never a new call attempt that reuses the call-id.
 */
export class CancelMarks {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: CancelMarksOptions = {},
  ) {
    this.prefix = options.prefix ?? 'pushwire';
  }

  callKey(appId: string, callId: string): string {
    return `${this.prefix}:cancelled:{${keyPart(appId)}:${keyPart(callId)}}`;
  }

  deviceKey(appId: string, callId: string, deviceId: string): string {
    return `${this.callKey(appId, callId)}:device:${keyPart(deviceId)}`;
  }

  anyDeviceKey(appId: string, callId: string): string {
    return `${this.callKey(appId, callId)}:any-device`;
  }

  /** The keys one cancel sets. */
  keysOfCancel(scope: CallScope): string[] {
    return scope.deviceId === null
      ? [this.callKey(scope.appId, scope.callId)]
      : [this.deviceKey(scope.appId, scope.callId, scope.deviceId), this.anyDeviceKey(scope.appId, scope.callId)];
  }

  /** The keys any one of which means a wake-up with this scope is superseded. */
  keysSuperseding(scope: CallScope): string[] {
    const call = this.callKey(scope.appId, scope.callId);
    return scope.deviceId === null
      ? [call, this.anyDeviceKey(scope.appId, scope.callId)]
      : [call, this.deviceKey(scope.appId, scope.callId, scope.deviceId)];
  }

  /**
   * Marks every scope cancelled at `cancelledAt` (the cancel's acceptance time, ms) for `ttlMs`. One atomic
   * script per call (its keys share a slot); resolves once Redis acknowledged: only then may the cancel be
   * enqueued, so no wake-up checked after the cancel was accepted can miss it. Resolves with the keys set.
   */
  async mark(scopes: readonly CallScope[], ttlMs: number, cancelledAt: number): Promise<string[]> {
    if (scopes.length === 0) return [];
    if (!(ttlMs >= 1)) throw new RangeError(`cancel mark TTL must be at least 1 ms, got ${ttlMs}`);
    if (!Number.isFinite(cancelledAt)) throw new RangeError(`cancel time must be a number of ms, got ${cancelledAt}`);
    const byCall = new Map<string, Set<string>>();
    for (const scope of scopes) {
      const call = this.callKey(scope.appId, scope.callId);
      const keys = byCall.get(call) ?? new Set<string>();
      for (const key of this.keysOfCancel(scope)) keys.add(key);
      byCall.set(call, keys);
    }
    await Promise.all(
      [...byCall.values()].map((keys) =>
        this.redis.eval(MARK, keys.size, ...keys, String(cancelledAt), String(Math.ceil(ttlMs))),
      ),
    );
    return [...byCall.values()].flatMap((keys) => [...keys]);
  }

  /**
   * True when a cancel for this call (and this device, or every device) was accepted after `acceptedAt` (the
   * wake-up's acceptance time) and is still within its TTL. A marker from an older Pushwire holds `1` with no
   * time: it supersedes as it always did (it lives one call deadline at most).
   */
  async isCancelled(scope: CallScope, acceptedAt: number): Promise<boolean> {
    const values = await this.redis.mget(...this.keysSuperseding(scope));
    return values.some((v) => v !== null && (v === '1' || Number(v) > acceptedAt));
  }
}
