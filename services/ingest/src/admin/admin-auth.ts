// HTTP basic authentication for the audit endpoints (/admin, /v1/calls): off (404) without credentials, never open.
import type { AdminCredentials } from '@pushwire/core';
import type { MiddlewareHandler } from 'hono';
import { AdminPasswordCheck } from './password-check.js';

export interface AdminAuthOptions {
  /** The credentials in force (a reload may change them); null = the audit endpoints are off. */
  credentials: () => AdminCredentials | null;
  /** Realm shown by browsers. Default `Pushwire audit`. */
  realm?: string;
}

/** `Authorization: Basic base64(user:password)` → the pair; null when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | null {
  const match = /^basic +([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Answers itself instead of throwing Hono's HTTPException: the ingest's error handler renders only Pushwire's
 * errors, and a 401 must carry `WWW-Authenticate` so a browser asks for the login.
 */
export function adminAuth(options: AdminAuthOptions): MiddlewareHandler {
  const check = new AdminPasswordCheck();
  const realm = (options.realm ?? 'Pushwire audit').replace(/["\\]/g, '');
  return async (c, next) => {
    const credentials = options.credentials();
    if (credentials === null) return c.json({ detail: 'Not Found' }, 404);
    const login = parseBasicAuth(c.req.header('authorization'));
    if (login && (await check.verify(credentials, login.username, login.password))) {
      await next();
      // Audit pages and answers hold call data: never kept by a shared cache.
      c.header('Cache-Control', 'no-store');
      return;
    }
    return c.json({ code: 401, description: 'authentication required', data: {} }, 401, {
      'WWW-Authenticate': `Basic realm="${realm}", charset="UTF-8"`,
    });
  };
}
