// Whether the caller may make this request: Sylk's allowed_hosts on its address, then its key's app scope.
// Both refusals answer Sylk's 403 body; the log says which rule refused.
import type { Logger } from '@pushwire/logging';
import type { Context } from 'hono';
import { settingsOf } from '../ingest-settings.js';
import { accessDenied } from '../sylk-responses.js';
import type { CallerContext } from './caller-gate.js';

/** The gate's findings; a route without the gate is a programming error, not an open door. */
export function callerOf(c: Context): CallerContext {
  const found = c.get('caller') as CallerContext | undefined;
  if (!found) throw new Error(`no caller gate on ${c.req.method} ${c.req.path}`);
  return found;
}

/**
 * Throws Sylk's 403 unless the client address is in allowed_hosts and, for a caller with a key, every app
 * in `appIds` is in the key's scope. Called after body validation, as Sylk checks its ACL.
 */
export function assertMayCall(c: Context, log: Logger, appIds: readonly string[] = []): void {
  const { ip, caller } = callerOf(c);
  if (!settingsOf(c).accessList.allows(ip)) {
    log.info({ ip, ...(caller ? { caller: caller.name } : {}) }, `incoming request from ${ip} is denied`);
    throw accessDenied();
  }
  const outOfScope = caller?.apps ? [...new Set(appIds)].filter((id) => !caller.apps!.has(id)) : [];
  if (caller && outOfScope.length > 0) {
    log.info(
      { ip, caller: caller.name, apps: outOfScope },
      `incoming request from ${ip} is denied: key ${caller.name} does not cover ${outOfScope.join(', ')}`,
    );
    throw accessDenied();
  }
}
