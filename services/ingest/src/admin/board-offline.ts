// The board as an auditor's browser should get it on a closed network: nothing loaded from another origin (the
// UI's page links Google Fonts; without them it falls back to system fonts) and a Content-Security-Policy that
// lets the page load only from Pushwire itself.
import type { MiddlewareHandler } from 'hono';

export const BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** `<link …>` and `<script …>` tags whose address is absolute (another origin): the UI works without them. */
const REMOTE_TAG =
  /<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*["'](?:https?:)?\/\/[^"']*["'][^>]*>(?:\s*<\/script>)?/gi;
/** Inline styles, which the policy refuses anyway: only the page's "Loading" placeholder has them. */
const INLINE_STYLE = /\s+style="[^"]*"|<style\b[^>]*>[\s\S]*?<\/style>/gi;

/** The board's page as served: nothing from another origin, nothing the policy would refuse. */
export function offlinePage(html: string): string {
  return html.replace(REMOTE_TAG, '').replace(INLINE_STYLE, '');
}

export function boardOffline(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', BOARD_CSP);
    if (!(c.res.headers.get('content-type') ?? '').includes('text/html')) return;
    const html = offlinePage(await c.res.text());
    // Hono copies the old answer's headers onto the new one: its length must not come along.
    c.res.headers.delete('content-length');
    c.res = new Response(html, { status: c.res.status, headers: c.res.headers });
  };
}
