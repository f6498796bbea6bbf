// The emulator's test controls: fault injection, waiting for requests, sessions, GOAWAY and SETTINGS.
import type { ClientHttp2Session } from 'node:http2';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@pushwire/core';
import { createTestCa } from '../tls.js';
import { startApnsEmulator } from './apns-emulator.js';
import {
  closeSession,
  createSigningKey,
  DEVICE_TOKEN,
  mintToken,
  openSession,
  post,
} from '../test-support/h2-client.js';
import type { ApnsEmulator } from './types.js';

const OTHER_TOKEN = 'b2'.repeat(32);

describe('APNs emulator controls', () => {
  const ca = createTestCa();
  const key = createSigningKey();
  const clock = new ManualClock(Date.UTC(2025, 0, 1, 12));
  let emulator: ApnsEmulator;
  let session: ClientHttp2Session;
  let headers: Record<string, string>;

  const open = () => openSession(emulator.origin, { ca: ca.cert });
  const push = (on = session, token = DEVICE_TOKEN) => post(on, headers, undefined, `/3/device/${token}`);

  beforeAll(async () => {
    emulator = await startApnsEmulator({ tls: ca.issueServer(), clock, keys: [key] });
    const jwt = await mintToken(key, Math.floor(clock.now() / 1000));
    headers = { authorization: `bearer ${jwt}`, 'apns-topic': 'com.example.phone', 'apns-push-type': 'alert' };
  });
  afterEach(async () => {
    if (session) await closeSession(session);
    emulator.reset();
  });
  afterAll(() => emulator.close());

  it('listens on a free port of 127.0.0.1 and names its origin', () => {
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.origin).toBe(`https://127.0.0.1:${emulator.port}`);
  });

  it('answers an injected 410 with a timestamp, `times` times, then normally; other tokens are untouched', async () => {
    session = await open();
    emulator.failToken(DEVICE_TOKEN, { status: 410, reason: 'Unregistered', times: 2 });
    const first = await push();
    expect([first.status, first.json]).toEqual([410, { reason: 'Unregistered', timestamp: clock.now() }]);
    expect((await push(session, OTHER_TOKEN)).status).toBe(200);
    expect((await push()).status).toBe(410);
    expect((await push()).status).toBe(200);
    expect(emulator.requests.map((r) => [r.status, r.reason, r.delivered])).toEqual([
      [410, 'Unregistered', false],
      [200, null, true],
      [410, 'Unregistered', false],
      [200, null, true],
    ]);
  });

  it('adds retry-after to an injected 429, applies queued faults in order, and clearFaults() ends them', async () => {
    session = await open();
    emulator.failToken(DEVICE_TOKEN, { status: 429, reason: 'TooManyRequests', retryAfterSeconds: 30, times: 1 });
    emulator.failToken(DEVICE_TOKEN, { status: 503, reason: 'ServiceUnavailable' });
    const limited = await push();
    expect([limited.status, limited.json, limited.headers['retry-after']]).toEqual([
      429,
      { reason: 'TooManyRequests' },
      '30',
    ]);
    expect((await push()).status).toBe(503);
    expect((await push()).status).toBe(503);
    emulator.clearFaults();
    expect((await push()).status).toBe(200);
  });

  it('applies faults only after authentication succeeds', async () => {
    session = await open();
    emulator.failToken(DEVICE_TOKEN, { status: 500, reason: 'InternalServerError' });
    const response = await post(session, { 'apns-topic': 'com.example.phone' });
    expect([response.status, response.json]).toEqual([403, { reason: 'MissingProviderToken' }]);
  });

  it('refuses faults it could not answer', () => {
    expect(() => emulator.failToken(DEVICE_TOKEN, { status: 200, reason: 'x' })).toThrow(RangeError);
    expect(() => emulator.failToken(DEVICE_TOKEN, { drop: true, times: 0 })).toThrow(RangeError);
  });

  it('drops the connection without GOAWAY or an answer, records it, then serves a new connection', async () => {
    session = await open();
    await push(session, OTHER_TOKEN); // the server has registered the session
    expect(emulator.sessions()).toBe(1);
    const goaway = vi.fn();
    session.on('goaway', goaway);
    const closed = new Promise((resolve) => session.once('close', resolve));
    emulator.failToken(DEVICE_TOKEN, { drop: true, times: 1 });
    await expect(push()).rejects.toThrow();
    await closed;
    expect(goaway).not.toHaveBeenCalled();
    expect(emulator.requests.at(-1)).toMatchObject({ token: DEVICE_TOKEN, status: 0, reason: null, delivered: false });
    await vi.waitFor(() => expect(emulator.sessions()).toBe(0));

    session = await open();
    expect((await push()).status).toBe(200);
    expect(emulator.totalSessions()).toBeGreaterThanOrEqual(2);
  });

  it('stalls a request forever while the connection keeps serving others', async () => {
    session = await open();
    emulator.failToken(DEVICE_TOKEN, { stall: true, times: 1 });
    const answered = vi.fn();
    const stalled = push();
    stalled.then(answered, answered);
    await emulator.waitForRequests(1);
    expect((await push(session, OTHER_TOKEN)).status).toBe(200);
    expect(answered).not.toHaveBeenCalled();
    expect(emulator.requests[0]).toMatchObject({ token: DEVICE_TOKEN, status: 0, delivered: false });
    await closeSession(session);
    await expect(stalled).rejects.toThrow();
  });

  it('releaseStalled() answers held streams as they would have been answered, and updates their records', async () => {
    session = await open();
    emulator.failToken(DEVICE_TOKEN, { stall: true, times: 2 });
    const held = [push(), push()];
    await emulator.waitForRequests(2);
    expect(emulator.requests.map((r) => r.status)).toEqual([0, 0]);
    expect(emulator.releaseStalled()).toBe(2);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect(emulator.requests.map((r) => [r.status, r.delivered])).toEqual([
      [200, true],
      [200, true],
    ]);
    expect(emulator.releaseStalled()).toBe(0);
  });

  it('waitForRequests resolves once enough requests (of any outcome) arrived and rejects clearly on timeout', async () => {
    session = await open();
    const waiting = emulator.waitForRequests(2);
    await push();
    await post(session, { 'apns-topic': 'x' });
    const requests = await waiting;
    expect(requests.map((r) => r.status)).toEqual([200, 403]);
    await expect(emulator.waitForRequests(3, 50)).rejects.toThrow(
      /waited 50 ms for 3 request\(s\), got 2 \(200, 403 MissingProviderToken\)/,
    );
  });

  it('counts open and total sessions', async () => {
    const before = emulator.totalSessions();
    session = await open();
    const second = await open();
    await Promise.all([push(), push(second)]);
    expect(emulator.sessions()).toBe(2);
    expect(emulator.totalSessions()).toBe(before + 2);
    await closeSession(second);
    await vi.waitFor(() => expect(emulator.sessions()).toBe(1));
  });

  it('lists each connection with its client port and names the connection of every request', async () => {
    const known = emulator.connections().length;
    session = await open();
    const second = await open();
    await push();
    await push(second);
    await push();
    const [a, b] = emulator.connections().slice(known);
    // The client's own local ports: a test can map a connection to the process that owns the socket.
    expect([a?.remotePort, b?.remotePort]).toEqual([session.socket.localPort, second.socket.localPort]);
    expect([a?.open, b?.open]).toEqual([true, true]);
    expect(emulator.requests.map((r) => r.connection)).toEqual([a?.id, b?.id, a?.id]);
    await closeSession(second);
    await vi.waitFor(() => expect(emulator.connections().find((c) => c.id === b?.id)?.open).toBe(false));
  });

  it('sends GOAWAY (NO_ERROR, {"reason":"Shutdown"}) on every session and closes them', async () => {
    session = await open();
    await push();
    const goaway = new Promise<[number, number, Buffer | undefined]>((resolve) =>
      session.once('goaway', (code, lastStreamId, data) => resolve([code, lastStreamId, data])),
    );
    const closed = new Promise((resolve) => session.once('close', resolve));
    emulator.goaway();
    const [code, lastStreamId, data] = await goaway;
    expect(code).toBe(0);
    expect(lastStreamId).toBe(1);
    expect(JSON.parse(String(data))).toEqual({ reason: 'Shutdown' });
    await closed;
    await vi.waitFor(() => expect(emulator.sessions()).toBe(0));
  });

  it('announces 1000 concurrent streams, and setMaxConcurrentStreams updates current and future sessions', async () => {
    session = await open();
    await push();
    expect(session.remoteSettings.maxConcurrentStreams).toBe(1000);
    const updated = new Promise<number | undefined>((resolve) =>
      session.once('remoteSettings', (settings) => resolve(settings.maxConcurrentStreams)),
    );
    emulator.setMaxConcurrentStreams(7);
    expect(await updated).toBe(7);
    const later = await open();
    await push(later);
    expect(later.remoteSettings.maxConcurrentStreams).toBe(7);
    await closeSession(later);
    emulator.setMaxConcurrentStreams(1000);
    expect(() => emulator.setMaxConcurrentStreams(-1)).toThrow(RangeError);
  });

  it('speaks HTTP/2 over TLS 1.2 too', async () => {
    session = await openSession(emulator.origin, { ca: ca.cert, maxVersion: 'TLSv1.2' } as { ca: string });
    expect((await push()).status).toBe(200);
  });

  it('refuses a client that cannot speak HTTP/2', async () => {
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: emulator.port, ca: ca.cert, ALPNProtocols: ['http/1.1'] });
      socket.on('secureConnect', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.on('data', (d: Buffer) => received.push(d.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
    });
    expect(received).toEqual([]);
  });

  it('reset() forgets requests and faults', async () => {
    session = await open();
    emulator.failToken(DEVICE_TOKEN, { status: 410, reason: 'Unregistered' });
    await push();
    emulator.reset();
    expect(emulator.requests).toEqual([]);
    expect((await push()).status).toBe(200);
  });
});

describe('APNs emulator close()', () => {
  it('closes open connections hard and rejects pending waits', async () => {
    const ca = createTestCa();
    const emulator = await startApnsEmulator({ tls: ca.issueServer() });
    const session = await openSession(emulator.origin, { ca: ca.cert });
    const closed = new Promise((resolve) => session.once('close', resolve));
    const waiting = expect(emulator.waitForRequests(1)).rejects.toThrow(/closed/);
    await emulator.close();
    await closed;
    await waiting;
  });
});
