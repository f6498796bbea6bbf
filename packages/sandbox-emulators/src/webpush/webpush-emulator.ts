// A strict Web Push service (RFC 8030) over HTTPS: it issues subscriptions as a browser's PushManager would,
// checks every push's VAPID authorization (RFC 8292) and headers, decrypts its aes128gcm payload (RFC 8291)
// with the subscription's keys, records the plaintext, and answers errors on demand: per subscription
// (`failSubscription`) or by endpoint convention (`.../status-<code>` answers <code> once VAPID checks out).
import { createECDH, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { systemClock } from '@pushwire/core';
import { decryptAes128gcm, DecryptError, uaKeysFrom, type UaKeys } from './aes128gcm.js';
import { DEMO_PAGE } from './demo-page.js';
import type {
  IssuedSubscription,
  RecordedWebPush,
  WebPushEmulator,
  WebPushEmulatorOptions,
  WebPushFault,
} from './types.js';
import { checkVapid } from './vapid-check.js';
import { RequestLog } from '../request-log.js';

const PUSH_PATH = /^\/wpush\/v2\/([A-Za-z0-9_-]+)$/;
const MESSAGES_PATH = /^\/messages\/([A-Za-z0-9_-]+)$/;
const STATUS_CONVENTION = /^status-(\d{3})(?:-|$)/;
/** RFC 8030 §7.2: push services must take 4096 bytes of payload; this one takes no more. */
const MAX_PAYLOAD_BYTES = 4096;
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);

interface Subscription {
  keys: UaKeys;
  applicationServerKey: string | null;
  gone: boolean;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

async function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), tooLarge: size > limit };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startWebPushEmulator(options: WebPushEmulatorOptions): Promise<WebPushEmulator> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const subscriptions = new Map<string, Subscription>();
  const faults = new Map<string, { fault: WebPushFault; left: number }[]>();
  const requestsLog = new RequestLog<RecordedWebPush>({ name: 'Web Push emulator' });
  const requests = requestsLog.requests;
  let origin = '';
  let messageCounter = 0;
  let outageStatus: number | null = null;

  for (const preset of options.subscriptions ?? []) {
    const keys = uaKeysFrom(Buffer.from(preset.privateKey, 'base64url'), Buffer.from(preset.auth, 'base64url'));
    subscriptions.set(preset.id, { keys, applicationServerKey: preset.applicationServerKey ?? null, gone: false });
  }

  const issued = (id: string): IssuedSubscription => {
    const sub = subscriptions.get(id);
    if (!sub) throw new Error(`Web Push emulator: no subscription ${id}`);
    return {
      id,
      endpoint: `${origin}/wpush/v2/${id}`,
      keys: { p256dh: sub.keys.ecdh.getPublicKey().toString('base64url'), auth: sub.keys.auth.toString('base64url') },
    };
  };
  const subscribe = (applicationServerKey?: string): IssuedSubscription => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const id = randomBytes(12).toString('base64url');
    subscriptions.set(id, {
      keys: { ecdh, auth: randomBytes(16) },
      applicationServerKey: applicationServerKey ?? null,
      gone: false,
    });
    return issued(id);
  };
  const takeFault = (id: string, network: boolean): WebPushFault | null => {
    const list = faults.get(id);
    const head = list?.[0];
    if (!list || !head || 'drop' in head.fault !== network) return null;
    head.left -= 1;
    if (head.left <= 0) list.shift();
    if (list.length === 0) faults.delete(id);
    return head.fault;
  };
  const record = (entry: RecordedWebPush): void => {
    requestsLog.add(entry);
  };
  const received = (id: string): RecordedWebPush[] => requests.filter((r) => r.id === id && r.status === 201);

  const handlePush = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const headers = flatHeaders(req.headers);
    const ttlText = headers.ttl;
    const entry: RecordedWebPush = {
      at: clock.now(),
      id,
      headers,
      status: 0,
      reason: '',
      ttl: ttlText !== undefined && /^\d+$/.test(ttlText) ? Number(ttlText) : null,
      urgency: headers.urgency ?? null,
      topic: headers.topic ?? null,
      plaintext: null,
      json: null,
      vapid: null,
      fault: null,
    };
    const answer = (status: number, reason: string, extra: Record<string, string> = {}, body?: string): void => {
      entry.status = status;
      entry.reason = reason;
      record(entry);
      if (status === 201) {
        res.writeHead(201, {
          location: `${origin}/message/${++messageCounter}`,
          ttl: String(entry.ttl ?? 0),
          ...extra,
        });
        res.end();
      } else sendJson(res, status, body === undefined ? { code: status, error: reason } : JSON.parse(body), extra);
    };
    if (takeFault(id, true) !== null) {
      entry.fault = 'drop';
      record(entry);
      req.socket.destroy();
      return;
    }
    const { body, tooLarge } = await readBody(req, MAX_PAYLOAD_BYTES);
    const vapid = await checkVapid(headers.authorization, origin, clock.now());
    if (!vapid.ok) return answer(401, vapid.reason);
    entry.vapid = vapid.claims;
    if (outageStatus !== null) return answer(outageStatus, `service outage: ${outageStatus}`);
    const convention = STATUS_CONVENTION.exec(id);
    if (convention)
      return answer(
        Number(convention[1]),
        `status ${convention[1]} by endpoint convention`,
        convention[1] === '429' ? { 'retry-after': '1' } : {},
      );
    const fault = takeFault(id, false);
    if (fault !== null && 'status' in fault) {
      entry.fault = 'status';
      const extra: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return answer(fault.status, `injected status ${fault.status}`, extra, fault.body);
    }
    if (tooLarge) return answer(413, `payload larger than ${MAX_PAYLOAD_BYTES} bytes`);
    const sub = subscriptions.get(id);
    if (!sub) return answer(404, 'no such subscription');
    if (sub.gone) return answer(410, 'subscription expired or unsubscribed');
    if (sub.applicationServerKey !== null && sub.applicationServerKey !== vapid.publicKey) {
      return answer(403, 'the VAPID key is not the applicationServerKey of the subscription');
    }
    if (entry.ttl === null) return answer(400, 'TTL header missing or not a whole number of seconds');
    if (entry.urgency !== null && !URGENCIES.has(entry.urgency))
      return answer(400, `Urgency ${entry.urgency} is not very-low, low, normal or high`);
    if (entry.topic !== null && !TOPIC.test(entry.topic))
      return answer(400, 'Topic must be at most 32 base64url characters');
    if (body.length > 0) {
      if (headers['content-encoding'] !== 'aes128gcm') return answer(400, 'Content-Encoding must be aes128gcm');
      try {
        entry.plaintext = decryptAes128gcm(body, sub.keys).toString('utf8');
      } catch (error) {
        if (error instanceof DecryptError) return answer(400, `payload not decrypted: ${error.message}`);
        throw error;
      }
      try {
        entry.json = JSON.parse(entry.plaintext) as unknown;
      } catch {
        entry.json = null;
      }
    }
    answer(201, '');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const push = PUSH_PATH.exec(path);
    if (push && req.method === 'POST') return handlePush(req, res, push[1]!);
    if (path === '/demo' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(DEMO_PAGE);
      return;
    }
    if (path === '/subscribe' && req.method === 'POST') {
      const { body } = await readBody(req, 4096);
      let key: unknown;
      try {
        key =
          body.length === 0
            ? undefined
            : (JSON.parse(body.toString('utf8')) as { applicationServerKey?: unknown }).applicationServerKey;
      } catch {
        return sendJson(res, 400, { error: 'body must be JSON' });
      }
      return sendJson(res, 201, subscribe(typeof key === 'string' && key !== '' ? key : undefined));
    }
    const messages = MESSAGES_PATH.exec(path);
    if (messages && req.method === 'GET') {
      const id = messages[1]!;
      if (!subscriptions.has(id)) return sendJson(res, 404, { error: 'no such subscription' });
      const view = (r: RecordedWebPush) => ({
        at: r.at,
        ttl: r.ttl,
        urgency: r.urgency,
        topic: r.topic,
        plaintext: r.plaintext,
      });
      const { id: _id, ...subscription } = issued(id);
      return sendJson(res, 200, { subscription, received: received(id).map(view), pending: pendingOf(id).map(view) });
    }
    sendJson(res, 404, { error: 'not found' });
  };

  const pendingOf = (id: string): RecordedWebPush[] => {
    const list = received(id);
    return list.filter((r, i) => r.topic === null || !list.slice(i + 1).some((later) => later.topic === r.topic));
  };

  const server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: `emulator failure: ${error instanceof Error ? error.message : String(error)}` });
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
    demoUrl: `${origin}/demo`,
    requests,
    subscribe: (opts) => subscribe(opts?.applicationServerKey),
    subscription: issued,
    unsubscribe(id) {
      const sub = subscriptions.get(id);
      if (sub) sub.gone = true;
    },
    failSubscription(id, fault) {
      const left = fault.times ?? Infinity;
      if (!(left > 0)) throw new RangeError(`fault times must be positive, got ${String(fault.times)}`);
      faults.set(id, [...(faults.get(id) ?? []), { fault, left }]);
    },
    clearFaults() {
      faults.clear();
    },
    outage(status) {
      outageStatus = status;
    },
    received,
    pending: pendingOf,
    waitForRequests: (count, timeoutMs) => requestsLog.waitFor(count, timeoutMs),
    reset() {
      requests.length = 0;
      faults.clear();
      outageStatus = null;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
