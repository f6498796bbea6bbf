// Mounts the audit endpoints behind one admin login: Bull Board under /admin, the call history at /v1/calls.
import type { Hono } from 'hono';
import { resolveClientAddress } from '../callers/client-address.js';
import { NO_CALLERS } from '../callers/caller-policy.js';
import type { IngestDeps } from '../ingest-deps.js';
import type { ReadinessReport } from '../routes/health.js';
import { registerCalls } from '../routes/calls.js';
import { describe } from '../describe-route.js';
import { ADMIN_BOARD, ADMIN_READYZ } from '../openapi-audit.js';
import { adminAuth } from './admin-auth.js';
import { BOARD_PATH } from './audit-deps.js';

export interface AuditRouteDeps extends Pick<IngestDeps, 'audit' | 'clientAddress'> {
  /** The readiness details, served at /admin/readyz behind the login. Absent: that path is the board's. */
  readiness?: () => ReadinessReport;
}

/** Without `deps.audit` nothing is mounted: both paths fall through to the 404 of unknown paths. */
export function registerAudit(app: Hono, deps: AuditRouteDeps): void {
  const { audit } = deps;
  if (!audit) return;
  const auth = adminAuth({
    credentials: () => audit.credentials(),
    allowedHosts: () => audit.allowedHosts(),
    // The same address allowed_hosts and logs see: X-Forwarded-For counts only from trusted proxies.
    clientAddress: (c) => {
      const policy = c.get('ingestSettings')?.callers ?? NO_CALLERS;
      return resolveClientAddress(deps.clientAddress(c), c.req.header('x-forwarded-for'), policy.trustedProxies);
    },
  });
  // `/admin` itself and everything under it (pages, static assets, the board's JSON API).
  app.use(BOARD_PATH, auth);
  app.use(`${BOARD_PATH}/*`, auth);
  // Registered in the order the OpenAPI document lists them.
  registerCalls(app, audit, auth);
  // The board's own routes carry no description: this pass-through one documents its front page.
  if (audit.board) app.get(BOARD_PATH, describe(ADMIN_BOARD));
  const { readiness } = deps;
  if (readiness) {
    app.get(`${BOARD_PATH}/readyz`, describe(ADMIN_READYZ), (c) => {
      const report = readiness();
      return c.json(report.details, report.ready ? 200 : 503);
    });
  }
  if (audit.board) app.route(BOARD_PATH, audit.board);
}
