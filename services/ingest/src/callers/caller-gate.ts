// First step of every push and token route: who is calling (address behind trusted proxies, API key), and is
// that key within its rate. Answers 401 / 429 itself; the app-scope and allowed_hosts checks come later, in
// the route, once the request names its apps (authorize.ts).
import { errorMessage } from '@pushwire/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { IngestDeps } from '../ingest-deps.js';
import { settingsOf } from '../ingest-settings.js';
import { NO_CALLERS, type CallerIdentity } from './caller-policy.js';
import { keyRefused, rateLimited } from './caller-answers.js';
import { resolveClientAddress } from './client-address.js';

/** What the gate learnt about the request, for the route. */
export interface CallerContext {
  /** The client address (the TCP peer, or the one a trusted proxy reported). */
  readonly ip: string | undefined;
  /** The key's caller; null when no key was sent (or none is configured). */
  readonly caller: CallerIdentity | null;
}

declare module 'hono' {
  interface ContextVariableMap {
    caller: CallerContext;
  }
}

export function callerGate(deps: Pick<IngestDeps, 'clientAddress' | 'logger' | 'rateLimiter'>): MiddlewareHandler {
  return async (c, next) => {
    const policy = settingsOf(c).callers ?? NO_CALLERS;
    const ip = resolveClientAddress(deps.clientAddress(c), c.req.header('x-forwarded-for'), policy.trustedProxies);
    const identity = policy.identify(c.req.header('authorization'));
    if (identity.kind === 'refused') {
      // The key itself is never logged, not even in part.
      deps.logger.warn(
        { ip, path: c.req.path, reason: identity.reason },
        `request from ${ip} refused: ${identity.reason === 'missing' ? 'no API key' : 'invalid API key'}`,
      );
      return keyRefused(c, identity.reason);
    }
    const caller = identity.kind === 'caller' ? identity.caller : null;
    if (caller?.rate && deps.rateLimiter) {
      const verdict = await takeOrAllow(deps, caller, c);
      if (!verdict.allowed) {
        deps.logger.info(
          { ip, caller: caller.name, retry_after_ms: verdict.retryAfterMs },
          `request from ${ip} (key ${caller.name}) over its rate`,
        );
        return rateLimited(c, verdict.retryAfterMs);
      }
    }
    c.set('caller', { ip, caller });
    await next();
  };
}

/**
 * One request counted against the key's rate. If Redis does not answer, the request goes on unlimited: a
 * push then gets its 503 from the queue anyway, and a token request on file or Cassandra storage still works.
 */
async function takeOrAllow(deps: Pick<IngestDeps, 'logger' | 'rateLimiter'>, caller: CallerIdentity, c: Context) {
  try {
    return await deps.rateLimiter!.take(caller.name, caller.rate!);
  } catch (error) {
    deps.logger.warn(
      { caller: caller.name, path: c.req.path, err: errorMessage(error) },
      'rate limit not checked: Redis did not answer',
    );
    return { allowed: true } as const;
  }
}
