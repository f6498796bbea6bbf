// OpenAPI operations of the audit routes: a call's push history (GET /v1/calls/{call-id}) and Bull Board (/admin).
import type { OperationSpec } from './openapi-operation.js';

const ADMIN = [{ adminBasic: [] }];
const NEEDS_LOGIN = {
  description: 'Missing or wrong login (answered with `WWW-Authenticate: Basic`).',
  schemas: ['ErrorEnvelope'],
  headers: { 'WWW-Authenticate': 'Basic realm="Pushwire audit", charset="UTF-8"' },
};
const unauthorized = { code: 401, description: 'authentication required', data: {} };
const NOT_HERE = {
  description: 'The client address is outside `[admin] allowed_hosts` (default: loopback and private ranges).',
  schemas: ['ErrorEnvelope'],
};
const SLOW_DOWN = {
  description:
    'Too many failed logins from this address, or too many password checks at once: retry after `Retry-After` seconds.',
  schemas: ['ErrorEnvelope'],
  headers: { 'Retry-After': 'Seconds to wait before trying again.' },
};
const at = (s: number) => `2026-12-04T10:00:0${s}.000Z`;

export const CALL_HISTORY: OperationSpec = {
  operationId: 'callHistory',
  tags: ['audit'],
  summary:
    'Every push of one call: request, attempts with the push service answers, policy outcomes, result, board links',
  description:
    'Needs the [admin] login (HTTP basic). Off (404 `{"detail":"Not Found"}`) when no login is configured. History is kept ' +
    'for [admin] retention_days (default 7). Credentials never appear in it; `redact_content` hides message text.',
  security: ADMIN,
  pathParams: [{ name: 'call-id', description: 'The call-id, URL-encoded (a SIP Call-ID may hold `/`, `:` or `@`).' }],
  responses: {
    200: { description: "The call's pushes, oldest first.", schemas: ['CallHistory'] },
    401: NEEDS_LOGIN,
    403: NOT_HERE,
    429: SLOW_DOWN,
    404: {
      description: 'No push recorded for this call-id (unknown, or older than the retention); or no login configured.',
      schemas: ['ErrorEnvelope', 'Detail'],
    },
    503: { description: 'Redis unavailable.', schemas: ['ErrorEnvelope'] },
  },
  examples: [
    {
      name: 'delivered-call',
      summary: 'A call wake-up delivered at the first attempt',
      description: 'After a POST /push of call `call-21@example.com` (the call-apple example with that call-id).',
      params: { 'call-id': 'call-21@example.com' },
      status: 200,
      answer: {
        call_id: 'call-21@example.com',
        pushes: [
          {
            job_id: 'v1-4ae1e593148e161587e96772c2022d15f641d20f',
            queue: 'push.apple.com.pushwire.sandbox.sylk.dev',
            board: '/admin/queue/push.apple.com.pushwire.sandbox.sylk.dev/v1-4ae1e593148e161587e96772c2022d15f641d20f',
            api: 'v1',
            app_id: 'com.pushwire.sandbox.sylk.dev',
            platform: 'apple',
            event: 'incoming_session',
            device_id: null,
            account: null,
            accepted_at: at(0),
            deadline_at: '2026-12-04T10:01:00.000Z',
            times_accepted: 1,
            status: 'delivered',
            request: {
              'app-id': 'com.pushwire.sandbox.sylk.dev',
              platform: 'apple',
              event: 'incoming_session',
              token: 'a'.repeat(64),
              'call-id': 'call-21@example.com',
              from: 'alice@example.com',
              to: 'bob@example.com',
              'device-id': null,
              'from-display-name': 'Alice',
              'media-type': 'audio',
              silent: true,
              reason: null,
              badge: 1,
              filename: null,
              filetype: null,
              account: null,
              content: null,
              'content-type': null,
            },
            attempts: [
              { attempt: 1, at: at(1), sent: true, outcome: 'delivered', code: 200, reason: '', retry_after_ms: null },
            ],
            policy: [],
            result: { outcome: 'delivered', at: at(1), attempt: 1, code: 200, reason: '' },
          },
        ],
      },
    },
    {
      name: 'unknown-call',
      summary: 'No push recorded for this call-id',
      params: { 'call-id': 'never-pushed@example.com' },
      status: 404,
      answer: {
        code: 404,
        description: 'no pushes recorded for this call-id (unknown, or older than the retention)',
        data: { call_id: 'never-pushed@example.com' },
      },
    },
    {
      name: 'no-login',
      summary: 'Without credentials',
      params: { 'call-id': 'call-21@example.com' },
      status: 401,
      answer: unauthorized,
    },
  ],
};

export const ADMIN_BOARD: OperationSpec = {
  operationId: 'adminBoard',
  tags: ['audit'],
  summary: "Bull Board, read-only: every app's queue and job (a web page)",
  description:
    "The pages, their assets and the board's JSON API live under /admin, behind the same login. Read-only: writes answer 405. " +
    'Off (404) when no login is configured.',
  security: ADMIN,
  responses: {
    200: { description: "The board's page.", schemas: ['HtmlPage'], mediaType: 'text/html' },
    401: NEEDS_LOGIN,
    403: NOT_HERE,
    429: SLOW_DOWN,
    404: { description: 'No [admin] login configured.', schemas: ['Detail'] },
  },
  examples: [
    {
      name: 'board',
      summary: 'The board (abridged)',
      status: 200,
      answer: '<!DOCTYPE html><html lang="en"><head><title>Pushwire audit</title>…</head><body>…</body></html>',
    },
    { name: 'no-login', summary: 'Without credentials', status: 401, answer: unauthorized },
  ],
};

export const AUDIT_SCHEMAS: Record<string, unknown> = {
  HtmlPage: { type: 'string', description: 'An HTML page.' },
};

const details = {
  status: 'ready',
  redis: true,
  accepting: true,
  result_subscriber: { state: 'subscribed' },
  disabled_apps: [],
};

export const ADMIN_READYZ: OperationSpec = {
  operationId: 'adminReadyz',
  tags: ['audit', 'health'],
  summary: 'Readiness with its details, for operators',
  description:
    'What `/readyz` keeps from strangers: Redis, the sync-answer subscriber (with its error while down) and the apps a ' +
    'configuration error disabled (the reasons name credential files). Behind the admin login; the metrics port ' +
    '(`PUSHWIRE_METRICS_PORT`) serves the same at `/readyz`.',
  security: ADMIN,
  responses: {
    200: { description: 'Redis reachable and accepting.', schemas: ['ReadinessDetails'] },
    401: NEEDS_LOGIN,
    403: NOT_HERE,
    404: { description: 'No [admin] login configured.', schemas: ['Detail'] },
    429: SLOW_DOWN,
    503: { description: 'Redis unreachable, or shutting down.', schemas: ['ReadinessDetails'] },
  },
  examples: [
    { name: 'ready', summary: 'Ready, every app enabled', status: 200, answer: details },
    { name: 'no-login', summary: 'Without credentials', status: 401, answer: unauthorized },
  ],
};
