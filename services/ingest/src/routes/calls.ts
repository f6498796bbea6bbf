// GET /v1/calls/{call-id}: every push of one call (any app, platform, device; v1 and v2), each attempt with the
// push service's answer, policy outcomes and the result, with a link to each job's page on Bull Board.
import { hasControlCharacters, HttpError } from '@pushwire/core';
import { buildPushViews, callHistoryJson } from '@pushwire/queue';
import type { Hono, MiddlewareHandler } from 'hono';
import { BOARD_PATH, type AuditDeps } from '../admin/audit-deps.js';
import { describe } from '../describe-route.js';
import { CALL_HISTORY } from '../openapi-audit.js';

export function registerCalls(app: Hono, audit: AuditDeps, auth: MiddlewareHandler): void {
  // The call-id is one URL-encoded path segment (a SIP Call-ID may hold '/', ':' or '@'); Hono decodes it.
  // Named as Sylk's field is, which the document's `{call-id}` shows.
  app.get('/v1/calls/:call-id', describe(CALL_HISTORY), auth, async (c) => {
    const callId = c.req.param('call-id');
    if (hasControlCharacters(callId))
      throw HttpError.envelope(400, 'control characters are not allowed: call-id', { call_id: callId });
    let records: Awaited<ReturnType<AuditDeps['history']['read']>>;
    try {
      records = await audit.history.read(callId);
    } catch {
      throw HttpError.envelope(503, 'call history unavailable (Redis): retry later');
    }
    const pushes = buildPushViews(records, BOARD_PATH);
    if (pushes.length === 0) {
      throw HttpError.envelope(404, 'no pushes recorded for this call-id (unknown, or older than the retention)', {
        call_id: callId,
      });
    }
    return c.json(callHistoryJson(callId, pushes));
  });
}
