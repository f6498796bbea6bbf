// A strict Huawei Push Kit emulator over HTTPS: the OAuth 2.0 client-credentials token endpoint and
// `POST /v1/{appId}/messages:send`, with result codes on demand (by token convention or injected faults).
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { systemClock } from '@pushwire/core';
import { checkSendBody } from './message-validation.js';
import { RESULTS } from './result-codes.js';
import type {
  HuaweiEmulator,
  HuaweiEmulatorOptions,
  HuaweiFault,
  RecordedHuaweiGrant,
  RecordedHuaweiSend,
} from './types.js';
import { RequestLog } from '../request-log.js';

const SEND_PATH = /^\/v1\/([^/]+)\/messages:send$/;
const TOKEN_PATH = '/oauth2/v3/token';

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The fault a token asks for by its name (`code-80300007`, `http-503`). */
function conventionFault(token: string | null): HuaweiFault | null {
  const code = /^code-(\d{8})$/.exec(token ?? '');
  if (code) return { code: code[1]! };
  const http = /^http-(\d{3})$/.exec(token ?? '');
  return http ? { http: Number(http[1]), retryAfterSeconds: 1 } : null;
}

export async function startHuaweiEmulator(options: HuaweiEmulatorOptions): Promise<HuaweiEmulator> {
  const clock = options.clock ?? systemClock;
  const lifetimeS = options.tokenLifetimeS ?? 3600;
  const apps = new Map<string, string>();
  const accessTokens = new Map<string, { clientId: string; expiresAt: number }>();
  const faults = new Map<string, Array<HuaweiFault & { left: number }>>();
  let outage: HuaweiFault | null = null;
  const sendsLog = new RequestLog<RecordedHuaweiSend>({ name: 'Huawei emulator' });
  const sends = sendsLog.requests;
  const grants: RecordedHuaweiGrant[] = [];
  let requestCounter = 0;

  const takeFault = (token: string | null): HuaweiFault | null => {
    if (outage) return outage;
    const queue = token === null ? undefined : faults.get(token);
    const next = queue?.[0];
    if (next) {
      next.left -= 1;
      if (next.left <= 0) queue!.shift();
      return next;
    }
    return conventionFault(token);
  };

  const answer = (
    res: ServerResponse,
    entry: RecordedHuaweiSend,
    code: string,
    msg?: string,
    headers: Record<string, string> = {},
  ): void => {
    const known = RESULTS[code] ?? { status: 400, msg: 'Unknown error' };
    entry.status = known.status;
    entry.code = code;
    record(entry);
    sendJson(
      res,
      known.status,
      { code, msg: msg ?? known.msg, requestId: `${clock.now()}${String(requestCounter++).padStart(6, '0')}` },
      headers,
    );
  };

  const record = (entry: RecordedHuaweiSend): void => {
    sendsLog.add(entry);
  };

  const handleGrant = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    const form = new URLSearchParams(text);
    const refuse = (status: number, error: number, description: string): void => {
      grants.push({ at: clock.now(), form: Object.fromEntries(form), status });
      sendJson(res, status, { error, sub_error: 20001, error_description: description });
    };
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      refuse(400, 1101, 'invalid request: content-type must be application/x-www-form-urlencoded');
      return;
    }
    if (form.get('grant_type') !== 'client_credentials') {
      refuse(400, 1101, 'unsupported grant_type');
      return;
    }
    const clientId = form.get('client_id') ?? '';
    const secret = apps.get(clientId);
    if (secret === undefined || form.get('client_secret') !== secret) {
      refuse(400, 1101, 'invalid client: wrong client_id or client_secret');
      return;
    }
    const accessToken = `CF${randomBytes(24).toString('base64url')}`;
    accessTokens.set(accessToken, { clientId, expiresAt: clock.now() + lifetimeS * 1000 });
    grants.push({ at: clock.now(), form: Object.fromEntries(form), status: 200 });
    sendJson(res, 200, { access_token: accessToken, expires_in: lifetimeS, token_type: 'Bearer' });
  };

  const handleSend = (req: IncomingMessage, res: ServerResponse, appId: string, text: string): void => {
    const json = parseJson(text);
    const message = (json as { message?: { token?: unknown; data?: unknown } } | undefined)?.message;
    const token = Array.isArray(message?.token) && typeof message.token[0] === 'string' ? message.token[0] : null;
    const data = typeof message?.data === 'string' ? parseJson(message.data) : undefined;
    const entry: RecordedHuaweiSend = {
      at: clock.now(),
      appId,
      headers: flatHeaders(req.headers),
      json: json ?? null,
      token,
      data:
        typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : null,
      validateOnly: (json as { validate_only?: unknown } | undefined)?.validate_only === true,
      status: 0,
      code: null,
    };
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const granted = bearer === undefined ? undefined : accessTokens.get(bearer);
    if (granted === undefined || granted.clientId !== appId) {
      answer(res, entry, '80200001');
      return;
    }
    if (clock.now() >= granted.expiresAt) {
      answer(res, entry, '80200003');
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      answer(res, entry, '80100003', 'content-type must be application/json');
      return;
    }
    const invalid = checkSendBody(json);
    if (invalid !== null) {
      answer(res, entry, invalid.code, `${RESULTS[invalid.code]?.msg ?? ''}: ${invalid.detail}`);
      return;
    }
    const fault = takeFault(token);
    if (fault !== null && 'drop' in fault) {
      record(entry);
      req.socket.destroy();
      return;
    }
    if (fault !== null && 'stall' in fault) {
      record(entry);
      return;
    }
    if (fault !== null && 'http' in fault) {
      entry.status = fault.http;
      record(entry);
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      res.writeHead(fault.http, { 'content-type': 'text/plain', ...headers });
      res.end(fault.http === 503 ? 'Service Unavailable: traffic control' : `HTTP ${fault.http}`);
      return;
    }
    if (fault !== null && fault.code === '80100000') {
      answer(res, entry, '80100000', JSON.stringify({ success: 0, failure: 1, illegal_tokens: [token] }));
      return;
    }
    answer(res, entry, fault?.code ?? '80000000');
  };

  const server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const send = SEND_PATH.exec(path);
      if (req.method !== 'POST' || (path !== TOKEN_PATH && send === null)) {
        sendJson(res, 404, { code: '404', msg: 'Not Found' });
        return;
      }
      if (path === TOKEN_PATH) handleGrant(req, res, text);
      else handleSend(req, res, decodeURIComponent(send![1]!), text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;

  return {
    port,
    origin,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    sendUrl: (appId) => `${origin}/v1/${encodeURIComponent(appId)}/messages:send`,
    sends,
    grants,
    addApp(app) {
      apps.set(app.clientId, app.clientSecret);
    },
    failToken(token, fault) {
      const queue = faults.get(token) ?? [];
      queue.push({ ...fault, left: fault.times ?? Infinity });
      faults.set(token, queue);
    },
    failAll(fault) {
      outage = fault;
    },
    expireAccessTokens() {
      for (const granted of accessTokens.values()) granted.expiresAt = 0;
    },
    waitForSends: (count, timeoutMs) => sendsLog.waitFor(count, timeoutMs),
    reset() {
      sends.length = 0;
      grants.length = 0;
      faults.clear();
      outage = null;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
