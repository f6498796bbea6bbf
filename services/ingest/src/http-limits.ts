// Limits of ingest's HTTP server, so slow or piled-up clients cannot hold its sockets and memory: a deadline for
// the headers and for the whole request, a short idle keep-alive, and a cap on open connections.
import type { Server } from 'node:http';
import type { PushwireSettings } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';

export interface HttpLimits {
  /** Time to send the request headers, ms. */
  headersTimeoutMs: number;
  /** Time to send the whole request (headers and body), ms. */
  requestTimeoutMs: number;
  /** Idle time before a keep-alive connection is closed, ms. */
  keepAliveTimeoutMs: number;
  /** Open connections at most (more are closed at once); 0 = no cap. */
  maxConnections: number;
}

/** The settings' limits, with the defaults of `readPushwireSettings` for a hand-built config. */
export function httpLimitsOf(settings: PushwireSettings): HttpLimits {
  const requestTimeoutMs = settings.requestTimeoutMs ?? settings.syncWaitMs + 10_000;
  return {
    headersTimeoutMs: Math.min(settings.headersTimeoutMs ?? 10_000, requestTimeoutMs),
    requestTimeoutMs,
    keepAliveTimeoutMs: settings.keepAliveTimeoutMs ?? 5_000,
    maxConnections: settings.maxConnections ?? 10_000,
  };
}

/**
 * Options for `http.createServer` / `https.createServer`. Node looks for expired requests only every
 * `connectionsCheckingInterval` (default 30 s, settable only here), which would let a trickling client stay up to
 * 30 s past its deadline: check at a quarter of the shortest deadline, at most every second.
 */
export function serverOptionsFor(limits: HttpLimits): Record<string, number> {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(shortest / 4))),
  };
}

/** Sets what the constructor options do not cover on every Node version; logs refused connections (at most every 10 s). */
export function applyHttpLimits(server: Server, limits: HttpLimits, logger: Logger): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  let dropped = 0;
  let lastReport = 0;
  server.on('drop', () => {
    dropped += 1;
    const now = Date.now();
    if (now - lastReport < 10_000) return;
    lastReport = now;
    logger.warn(
      { dropped, max_connections: limits.maxConnections },
      `connection refused: ${limits.maxConnections} open connections (PUSHWIRE_MAX_CONNECTIONS)`,
    );
    dropped = 0;
  });
}
