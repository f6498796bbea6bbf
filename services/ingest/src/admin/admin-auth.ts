// HTTP basic authentication for the audit endpoints (/admin, /v1/calls): off (404) without credentials, never
// open; only from [admin] allowed_hosts; failed logins throttled per address; scrypt checks bounded.
import type { AdminCredentials } from '@pushwire/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { NetworkSet } from '../callers/network-set.js';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
import { AdminPasswordCheck } from './password-check.js';

export interface AdminAuthOptions {
  /** The credentials in force (a reload may change them); null = the audit endpoints are off. */
  credentials: () => AdminCredentials | null;
  /** `[admin] allowed_hosts` in force; null = any client. */
  allowedHosts: () => NetworkSet | null;
  /** The client address (after trusted-proxy resolution). */
  clientAddress: (c: Context) => string | undefined;
  /** Realm shown by browsers. Default `Pushwire audit`. */
  realm?: string;
  /** Failed-login throttling per client address. Defaults: 5 failures per 60 s. */
  throttle?: LoginThrottleOptions;
  /** scrypt checks running at once, at most (the rest answer 429 at once). Default 2. */
  maxConcurrentChecks?: number;
}

/** `Authorization: Basic base64(user:password)` → the pair; null when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | null {
  const match = /^basic +([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function tooMany(c: Context, description: string, retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return c.json(
    { code: 429, description: `${description}: retry after ${seconds} s`, data: { retry_after: seconds } },
    429,
    {
      'Retry-After': String(seconds),
    },
  );
}

/**
 * Answers itself instead of throwing Hono's HTTPException: the ingest's error handler renders only Pushwire's
 * errors, and a 401 must carry `WWW-Authenticate` so a browser asks for the login. The address and throttle
 * checks come before any password work, so a stranger costs no scrypt.
 */
export function adminAuth(options: AdminAuthOptions): MiddlewareHandler {
  const check = new AdminPasswordCheck({ maxConcurrent: options.maxConcurrentChecks });
  const throttle = new LoginThrottle(options.throttle);
  const realm = (options.realm ?? 'Pushwire audit').replace(/["\\]/g, '');
  return async (c, next) => {
    const credentials = options.credentials();
    if (credentials === null) return c.json({ detail: 'Not Found' }, 404);
    const ip = options.clientAddress(c);
    const hosts = options.allowedHosts();
    if (hosts !== null && !hosts.has(ip)) {
      return c.json(
        {
          code: 403,
          description: 'access denied: the audit endpoints are not open to this address ([admin] allowed_hosts)',
          data: {},
        },
        403,
      );
    }
    const wait = throttle.retryAfterMs(ip);
    if (wait > 0) return tooMany(c, 'too many failed logins from this address', wait);
    const login = parseBasicAuth(c.req.header('authorization'));
    if (login) {
      const verdict = await check.verify(credentials, login.username, login.password);
      if (verdict === 'busy') return tooMany(c, 'too many logins being checked', 1000);
      if (verdict === 'ok') {
        throttle.succeeded(ip);
        await next();
        // Audit pages and answers hold call data: never kept by a shared cache.
        c.header('Cache-Control', 'no-store');
        return;
      }
      throttle.failed(ip);
    }
    return c.json({ code: 401, description: 'authentication required', data: {} }, 401, {
      'WWW-Authenticate': `Basic realm="${realm}", charset="UTF-8"`,
    });
  };
}
