// A strict FCM HTTP v1 emulator over HTTPS (HTTP/1.1): Google's OAuth2 token endpoint for service
// accounts, `messages:send`, the retired legacy `/fcm/send`, per-token faults and a record of every call.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { systemClock, errorMessage } from '@pushwire/core';
import { FaultBook } from './fault-book.js';
import { rpcError } from './google-errors.js';
import { LEGACY_BODY, LEGACY_CONTENT_TYPE, LEGACY_STATUS, LEGACY_STATUS_TEXT } from './legacy-endpoint.js';
import { answerSend } from './send-endpoint.js';
import { grantAccessToken, type IssuedAccessToken } from './token-endpoint.js';
import type {
  FcmEmulator,
  FcmEmulatorOptions,
  RecordedFcmRequest,
  RecordedTokenRequest,
  RegisteredServiceAccount,
} from './types.js';
import { RequestLog } from '../request-log.js';

const SEND_PATH = /^\/v1\/projects\/([^/]+)\/messages:send$/;
/** Google's front end refuses bodies over 1 MiB before FCM sees them. */
const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json; charset=UTF-8';

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Google pretty-prints its JSON answers. */
function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': JSON_TYPE, ...headers });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

/** Google's plain 404 page for a path it does not serve. */
function notFoundPage(path: string): string {
  return (
    `<!DOCTYPE html>\n<html lang=en>\n<title>Error 404 (Not Found)!!1</title>\n` +
    `<p><b>404.</b> <ins>That’s an error.</ins>\n<p>The requested URL <code>${path.replace(/[<>&"]/g, '')}</code> ` +
    `was not found on this server.  <ins>That’s all we know.</ins>\n`
  );
}

export async function startFcmEmulator(options: FcmEmulatorOptions): Promise<FcmEmulator> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const accounts = new Map<string, RegisteredServiceAccount>();
  const accessTokens = new Map<string, IssuedAccessToken>();
  const faults = new FaultBook();
  const requestsLog = new RequestLog<RecordedFcmRequest>({ name: 'FCM emulator' });
  const requests = requestsLog.requests;
  const tokenRequests: RecordedTokenRequest[] = [];
  let messageCounter = 0;
  let origin = '';

  const record = (entry: RecordedFcmRequest): void => {
    requestsLog.add(entry);
  };

  const handleToken = async (req: IncomingMessage, res: ServerResponse, text: string): Promise<void> => {
    const form = new URLSearchParams(text);
    const result = await grantAccessToken({ form, accounts, tokenUri: `${origin}/token`, now: clock.now() });
    if (result.issued !== null) accessTokens.set(result.issued.accessToken, result.issued);
    tokenRequests.push({
      at: clock.now(),
      headers: flatHeaders(req.headers),
      form: Object.fromEntries(form),
      claims: result.claims,
      status: result.status,
      response: result.body,
    });
    sendJson(res, result.status, result.body, {
      'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
      pragma: 'no-cache',
    });
  };

  const handleMessage = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    projectId: string | null,
    text: string,
  ): void => {
    const json = parseJson(text);
    const target =
      projectId === null
        ? (json as { to?: unknown } | undefined)?.to
        : (json as { message?: { token?: unknown } } | undefined)?.message?.token;
    const entry: RecordedFcmRequest = {
      at: clock.now(),
      method: req.method ?? '',
      path,
      projectId,
      token: typeof target === 'string' ? target : null,
      headers: flatHeaders(req.headers),
      body: text,
      json: json === undefined ? null : json,
      status: 0,
      response: null,
      fault: null,
    };
    const network = projectId === null ? null : faults.take(entry.token, (f) => 'drop' in f || 'stall' in f);
    if (network !== null) {
      entry.fault = 'drop' in network ? 'drop' : 'stall';
      record(entry);
      // A stalled request stays open until the emulator closes; a dropped one loses its socket now.
      if ('drop' in network) req.socket.destroy();
      return;
    }
    if (projectId === null) {
      entry.status = LEGACY_STATUS;
      entry.response = LEGACY_BODY;
      record(entry);
      res.writeHead(LEGACY_STATUS, LEGACY_STATUS_TEXT, { 'content-type': LEGACY_CONTENT_TYPE });
      res.end(LEGACY_BODY);
      return;
    }
    const answer = answerSend({
      projectId,
      authorization: req.headers.authorization,
      json,
      accessTokens,
      faults,
      now: clock.now(),
      newMessageId: () => `0:${clock.now() * 1000 + (messageCounter++ % 1000)}%${randomBytes(8).toString('hex')}`,
    });
    entry.status = answer.status;
    entry.response = answer.body;
    entry.fault = answer.fault;
    record(entry);
    sendJson(res, answer.status, answer.body, answer.headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const { text, tooLarge } = await readBody(req);
    const sendMatch = SEND_PATH.exec(path);
    const known = path === '/token' || path === '/fcm/send' || sendMatch !== null;
    if (!known) {
      res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(notFoundPage(path));
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 404, rpcError(404, 'Method not found.'));
      return;
    }
    if (tooLarge) {
      sendJson(res, 400, rpcError(400, `Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`));
      return;
    }
    if (path === '/token') return handleToken(req, res, text);
    handleMessage(req, res, path, sendMatch === null ? null : decodeURIComponent(sendMatch[1] ?? ''), text);
  };

  const server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, rpcError(500, `Emulator failure: ${errorMessage(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    port,
    origin,
    tokenUri: `${origin}/token`,
    legacyUrl: `${origin}/fcm/send`,
    sendUrl: (projectId) => `${origin}/v1/projects/${encodeURIComponent(projectId)}/messages:send`,
    requests,
    tokenRequests,
    addServiceAccount(account) {
      accounts.set(account.client_email, { ...account });
    },
    failToken(token, fault) {
      faults.add(token, fault);
    },
    clearFaults() {
      faults.clear();
    },
    revokeAccessTokens() {
      accessTokens.clear();
    },
    waitForRequests: (count, timeoutMs) => requestsLog.waitFor(count, timeoutMs),
    reset() {
      requests.length = 0;
      tokenRequests.length = 0;
      faults.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
