// A strict stand-in for Apple's APNs provider API (HTTP/2 over TLS), for e2e tests and the local sandbox.
import { randomUUID } from 'node:crypto';
import { createSecureServer, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { systemClock } from '@pushwire/core';
import { FaultBook } from './faults.js';
import { ProviderTokenAuthority } from './provider-tokens.js';
import { reject, type ApnsRejection } from './reasons.js';
import { RequestLog } from '../request-log.js';
import {
  checkFraming,
  checkNotification,
  deviceTokenOf,
  parseJson,
  validApnsId,
  type ArrivedRequest,
  type Authority,
} from './request-rules.js';
import { SessionRegistry } from './session-registry.js';
import type { ApnsEmulator, ApnsEmulatorOptions, ApnsRequestAuth, RecordedApnsRequest } from './types.js';

/** What APNs announces to an authenticated connection. */
const DEFAULT_MAX_CONCURRENT_STREAMS = 1000;

/** The outcome of one request: an answer, or (faults) silence with or without the connection. */
type Answer = { kind: 'answer'; status: number; reason: string | null; retryAfterSeconds?: number };
type Outcome =
  | Answer
  | { kind: 'drop' }
  /** `release`: what the request earns once `releaseStalled()` lets it through. */
  | { kind: 'stall'; release: Answer };

export async function startApnsEmulator(options: ApnsEmulatorOptions): Promise<ApnsEmulator> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const tokens = new ProviderTokenAuthority(clock, options.keys);
  const faults = new FaultBook();
  const log = new RequestLog<RecordedApnsRequest>({
    name: 'APNs emulator',
    describe: (r) => `${r.status}${r.reason ? ` ${r.reason}` : ''}`,
  });
  const maxConcurrentStreams = options.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS;
  /** Streams held by a `stall` fault, with their record, until released or closed. */
  const stalled = new Map<ServerHttp2Stream, { record: RecordedApnsRequest; release: Answer }>();

  // APNs speaks HTTP/2 only, over TLS 1.2 or later. A client certificate is asked for, never required at
  // the TLS layer: token-auth clients send none, and a bad one is answered per request.
  const server = createSecureServer({
    cert: options.tls.cert,
    key: options.tls.key,
    ca: options.clientCa,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    allowHTTP1: false,
    settings: { maxConcurrentStreams },
  });
  const registry = new SessionRegistry(server, maxConcurrentStreams);

  async function authenticate(
    request: ArrivedRequest,
    stream: ServerHttp2Stream,
  ): Promise<{ auth: ApnsRequestAuth; authority: Authority | null; rejection: ApnsRejection | null }> {
    const bearer = /^bearer +(\S+)$/i.exec(request.headers.authorization ?? '');
    if (bearer?.[1] !== undefined) {
      const { auth, rejection } = await tokens.check(bearer[1]);
      return { auth, authority: { kind: 'token' }, rejection };
    }
    const certificate = registry.certificateOf(sessionOf(stream));
    if (certificate.kind === 'trusted') {
      const { uid, subject, topics } = certificate;
      return {
        auth: { kind: 'certificate', uid, subject },
        authority: { kind: 'certificate', uid, topics },
        rejection: null,
      };
    }
    const rejection = reject(certificate.kind === 'untrusted' ? 'BadCertificate' : 'MissingProviderToken');
    return { auth: { kind: 'none' }, authority: null, rejection };
  }

  async function decide(
    request: ArrivedRequest,
    stream: ServerHttp2Stream,
  ): Promise<{ auth: ApnsRequestAuth; outcome: Outcome }> {
    const framing = checkFraming(request);
    if (framing) return { auth: { kind: 'none' }, outcome: { kind: 'answer', ...framing } };
    const { auth, authority, rejection } = await authenticate(request, stream);
    if (rejection || authority === null) {
      return { auth, outcome: { kind: 'answer', ...(rejection ?? reject('MissingProviderToken')) } };
    }
    const fault = faults.take(deviceTokenOf(request.path) ?? '');
    if (fault !== undefined) {
      if ('drop' in fault) return { auth, outcome: { kind: 'drop' } };
      if ('stall' in fault) {
        const invalid = checkNotification(request, authority);
        return {
          auth,
          outcome: { kind: 'stall', release: { kind: 'answer', ...(invalid ?? { status: 200, reason: null }) } },
        };
      }
      const { status, reason, retryAfterSeconds } = fault;
      return { auth, outcome: { kind: 'answer', status, reason, retryAfterSeconds } };
    }
    const invalid = checkNotification(request, authority);
    return { auth, outcome: { kind: 'answer', ...(invalid ?? { status: 200, reason: null }) } };
  }

  async function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: string[]) {
    const body = await readBody(stream);
    if (body === null) return; // the client gave up on the stream before sending all of it
    const request: ArrivedRequest = {
      method: String(headers[':method'] ?? ''),
      path: String(headers[':path'] ?? ''),
      headers: plainHeaders(headers),
      rawHeaders,
      body,
    };
    const apnsId = validApnsId(request.headers) ?? randomUUID().toUpperCase();
    let decision: { auth: ApnsRequestAuth; outcome: Outcome };
    try {
      decision = await decide(request, stream);
    } catch (error) {
      process.emitWarning(`APNs emulator failed on ${request.method} ${request.path}: ${String(error)}`);
      decision = { auth: { kind: 'none' }, outcome: { kind: 'answer', ...reject('InternalServerError') } };
    }
    const { auth, outcome } = decision;
    const text = body.toString('utf8');
    const answered = outcome.kind === 'answer';
    const record: RecordedApnsRequest = {
      at: clock.now(),
      method: request.method,
      path: request.path,
      token: deviceTokenOf(request.path) || null,
      headers: { ...request.headers },
      body: text,
      json: parseJson(text) ?? null,
      auth,
      status: answered ? outcome.status : 0,
      reason: answered ? outcome.reason : null,
      apnsId,
      delivered: answered && outcome.status === 200,
      connection: registry.idOf(sessionOf(stream)),
    };
    log.add(record);
    if (outcome.kind === 'drop') registry.drop(sessionOf(stream));
    if (outcome.kind === 'stall' && !stream.destroyed && !stream.closed) {
      stalled.set(stream, { record, release: outcome.release });
      stream.once('close', () => stalled.delete(stream));
    }
    if (outcome.kind === 'answer') respond(stream, apnsId, outcome);
  }

  function respond(stream: ServerHttp2Stream, apnsId: string, answer: Answer): void {
    if (stream.destroyed || stream.closed) return;
    const responseHeaders: Record<string, string | number> = { ':status': answer.status, 'apns-id': apnsId };
    if (answer.retryAfterSeconds !== undefined) responseHeaders['retry-after'] = String(answer.retryAfterSeconds);
    if (answer.reason === null) {
      stream.respond(responseHeaders, { endStream: true });
      return;
    }
    // Apple adds the time it learnt the token was invalid (ms since the epoch) to 410 answers.
    const payload =
      answer.status === 410 ? { reason: answer.reason, timestamp: clock.now() } : { reason: answer.reason };
    stream.respond(responseHeaders);
    stream.end(JSON.stringify(payload));
  }

  // The 4-argument 'stream' listener (with rawHeaders, for DuplicateHeaders) is missing from @types/node 20.
  server.on(
    'stream',
    (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
      stream.on('error', () => undefined);
      void handle(stream, headers, rawHeaders);
    },
  );

  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, host, () => {
      server.off('error', rejectListen);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    port,
    origin,
    requests: log.requests,
    providerTokens: (teamId, keyId) => tokens.tokensSeen(teamId, keyId),
    addKey: (key) => tokens.addKey(key),
    failToken: (token, fault) => faults.add(token, fault),
    clearFaults: () => faults.clear(),
    waitForRequests: (count, timeoutMs) => log.waitFor(count, timeoutMs),
    sessions: () => registry.count(),
    totalSessions: () => registry.total(),
    connections: () => registry.connections(),
    goaway: () => registry.goaway(),
    setMaxConcurrentStreams: (n) => registry.setMaxConcurrentStreams(n),
    releaseStalled: () => {
      let released = 0;
      for (const [stream, { record, release }] of stalled) {
        stalled.delete(stream);
        if (stream.destroyed || stream.closed) continue;
        // The record now says what was answered, so counts of delivered pushes include released ones.
        record.status = release.status;
        record.reason = release.reason;
        record.delivered = release.status === 200;
        respond(stream, record.apnsId, release);
        released += 1;
      }
      return released;
    },
    reset: () => {
      log.clear();
      faults.clear();
      tokens.reset();
    },
    close: async () => {
      log.abandon('closed');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      registry.destroyAll();
      await closed;
    },
  };
}

function sessionOf(stream: ServerHttp2Stream): Http2Session {
  // A stream that reached a handler belongs to a session; @types/node types it as possibly undefined.
  return stream.session as Http2Session;
}

/** The whole request body, or null when the stream ended abnormally first. */
function readBody(stream: ServerHttp2Stream): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('close', () => resolve(null));
  });
}

function plainHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    plain[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return plain;
}
