// ApnsProvider when the connection misbehaves: pooling, GOAWAY, drops, stalls, deadlines, aborts, close.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SendOutcome } from '@pushwire/core';
import type { ApnsProvider } from './apns-provider.js';
import { startBlackHoleProxy } from './test-support/black-hole-proxy.js';
import {
  DEVICE_TOKEN,
  createFixtureTls,
  startApnsFixture,
  voipPush,
  type ApnsFixture,
  type FixtureTls,
} from './test-support/apns-fixture.js';

let tls: FixtureTls;
let fx: ApnsFixture;

beforeAll(() => {
  tls = createFixtureTls();
});

beforeEach(async () => {
  fx = await startApnsFixture(tls);
});

afterEach(async () => {
  await fx.close();
});

const OTHER_TOKEN = 'cd'.repeat(32);

function sendMany(provider: ApnsProvider, count: number, start = 0): Promise<SendOutcome>[] {
  return Array.from({ length: count }, (_, i) => provider.send(voipPush(DEVICE_TOKEN, `call-${start + i}`)));
}

function kinds(outcomes: SendOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return counts;
}

/** Waits (one event-loop turn at a time) for a state the code under test reaches by itself. */
async function until(condition: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition never became true');
}

/** A TCP server that accepts connections and never says a word (a TLS handshake that never completes). */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket>; closed: Promise<void> }> {
  const sockets = new Set<Socket>();
  let onClosed!: () => void;
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    // Flowing, so the client's FIN is read and 'close' follows.
    socket.resume();
    socket.once('close', onClosed);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets, closed };
}

describe('ApnsProvider: one connection', () => {
  it('200 concurrent sends share one HTTP/2 session', async () => {
    const provider = fx.provider();
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => provider.send(voipPush(DEVICE_TOKEN, `c${i}`))),
    );
    expect(kinds(outcomes)).toEqual({ delivered: 200 });
    expect(fx.emulator.requests).toHaveLength(200);
    expect(fx.emulator.totalSessions()).toBe(1);
    // And keeps using it afterwards.
    expect((await provider.send(voipPush())).kind).toBe('delivered');
    expect(fx.emulator.totalSessions()).toBe(1);
  });
});

describe('ApnsProvider: one connection, sequential sends', () => {
  it('sends one after the other reuse the idle connection', async () => {
    const provider = fx.provider();
    for (let i = 0; i < 5; i++) {
      expect((await provider.send(voipPush(DEVICE_TOKEN, `s${i}`))).kind).toBe('delivered');
      // Let the finished stream close completely, leaving the connection idle, as between two pushes minutes apart.
      // biome-ignore lint/complexity/useLiteralKeys: reads a private field on purpose (the agent's idle-session count)
      await until(() => provider['agent'].emptySessionCount === 1);
    }
    expect(fx.emulator.totalSessions()).toBe(1);
  });
});

describe('ApnsProvider: one connection, few streams', () => {
  it('when APNs allows only 10 concurrent streams, 200 sends queue on the one session', async () => {
    fx.emulator.setMaxConcurrentStreams(10);
    const provider = fx.provider();
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => provider.send(voipPush(DEVICE_TOKEN, `c${i}`))),
    );
    expect(kinds(outcomes)).toEqual({ delivered: 200 });
    expect(fx.emulator.totalSessions()).toBe(1);
  });
});

describe('ApnsProvider: connection trouble', () => {
  it('connection dropped mid-send: retryable 500, the next send opens a new connection and works', async () => {
    const provider = fx.provider();
    expect((await provider.send(voipPush(OTHER_TOKEN))).kind).toBe('delivered');
    fx.emulator.failToken(DEVICE_TOKEN, { drop: true, times: 1 });

    const dropped = await provider.send(voipPush());
    expect(dropped).toMatchObject({ kind: 'retryable', response: { code: 500, body: {} } });
    expect(dropped.response.reason).not.toBe('');
    // Not resent: APNs may have acted on it before the connection died.
    expect(fx.emulator.requests.filter((r) => r.token === DEVICE_TOKEN)).toHaveLength(1);

    expect((await provider.send(voipPush())).kind).toBe('delivered');
    expect(fx.emulator.totalSessions()).toBe(2);
  });

  it('GOAWAY mid-load: every send resolves, each push reaches APNs once, a new session takes over', async () => {
    const notes: string[] = [];
    const log = {
      info: (_: object, message: string) => notes.push(message),
      warn: (_: object, message: string) => notes.push(message),
    };
    const provider = fx.provider({ log });
    const before = sendMany(provider, 100);
    await fx.emulator.waitForRequests(30);
    fx.emulator.goaway();
    // Issued before the client has read the GOAWAY: refused by the server, resent once on a new session.
    const after = sendMany(provider, 100, 100);
    const outcomes = await Promise.all([...before, ...after]);

    expect(kinds(outcomes)).toEqual({ delivered: 200 });
    const delivered = fx.emulator.requests
      .filter((r) => r.delivered)
      .map((r) => (r.json as { 'call-id': string })['call-id']);
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered).size).toBe(200);
    expect(fx.emulator.totalSessions()).toBe(2);
    expect(notes).toContain('APNs sent GOAWAY: draining this connection');

    const later = await Promise.all(sendMany(provider, 10, 200));
    expect(kinds(later)).toEqual({ delivered: 10 });
    expect(fx.emulator.totalSessions()).toBe(2);
  });

  it('a stalled stream times out as retryable 500; the connection stays in use', async () => {
    const provider = fx.provider({ requestTimeoutMs: 300 });
    fx.emulator.failToken(DEVICE_TOKEN, { stall: true, times: 1 });
    const stalled = await provider.send(voipPush());
    expect(stalled).toMatchObject({ kind: 'retryable', response: { code: 500, body: {} } });
    expect(stalled.response.reason).toBe('Timeout: no answer from APNs within 300 ms');

    expect((await provider.send(voipPush())).kind).toBe('delivered');
    expect(fx.emulator.totalSessions()).toBe(1);
  });

  it('a connection that silently died: the send times out, a PING goes unanswered, a new connection takes over', async () => {
    const proxy = await startBlackHoleProxy(fx.emulator.port);
    try {
      const provider = fx.provider({ port: proxy.port, requestTimeoutMs: 300 });
      expect((await provider.send(voipPush())).kind).toBe('delivered');

      proxy.swallowOpenConnections();
      const lost = await provider.send(voipPush());
      expect(lost).toMatchObject({
        kind: 'retryable',
        response: { code: 500, reason: 'Timeout: no answer from APNs within 300 ms' },
      });
      await proxy.clientGaveUp();

      expect((await provider.send(voipPush())).kind).toBe('delivered');
      expect(proxy.connections()).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('options.signal aborts a send in flight: retryable 500 "aborted"', async () => {
    const provider = fx.provider();
    fx.emulator.failToken(DEVICE_TOKEN, { stall: true, times: 1 });
    const controller = new AbortController();
    const sending = provider.send(voipPush(), { signal: controller.signal });
    await fx.emulator.waitForRequests(1);
    controller.abort();
    expect(await sending).toMatchObject({ kind: 'retryable', response: { code: 500, reason: 'aborted' } });
  });

  it('a TLS handshake that never completes: each send times out, the hung connection is torn down', async () => {
    const silent = await silentServer();
    try {
      const provider = fx.provider({ port: silent.port, requestTimeoutMs: 300 });
      const first = await provider.send(voipPush());
      expect(first).toMatchObject({ kind: 'retryable', response: { code: 500 } });
      expect(first.response.reason).toMatch(/^Timeout/);
      await silent.closed;
      const second = await provider.send(voipPush());
      expect(second.kind).toBe('retryable');
      expect(silent.sockets.size).toBe(2);
    } finally {
      for (const socket of silent.sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.server.close(() => resolve()));
    }
  });

  it('connection refused: retryable 500 naming the cause', async () => {
    const silent = await silentServer();
    await new Promise<void>((resolve) => silent.server.close(() => resolve()));
    const outcome = await fx.provider({ port: silent.port }).send(voipPush());
    expect(outcome).toMatchObject({ kind: 'retryable', response: { code: 500 } });
    expect(outcome.response.reason).toMatch(/ECONNREFUSED/);
  });

  it('a header HTTP/2 cannot carry: rejected (no retry), never sent', async () => {
    const push = { ...voipPush(), headers: { ...voipPush().headers, 'apns topic': 'x' } };
    const outcome = await fx.provider().send(push);
    expect(outcome).toMatchObject({ kind: 'rejected', response: { code: 500 } });
    expect(outcome.response.reason).toMatch(/^Bad type of object in headers or payload: /);
    expect(fx.emulator.requests).toHaveLength(0);
  });

  it('close() lets in-flight sends finish, then refuses new ones as retryable', async () => {
    const provider = fx.provider();
    const inFlight = Promise.all(Array.from({ length: 20 }, (_, i) => provider.send(voipPush(DEVICE_TOKEN, `c${i}`))));
    await provider.close();
    expect(kinds(await inFlight)).toEqual({ delivered: 20 });
    const late = await provider.send(voipPush());
    expect(late).toMatchObject({ kind: 'retryable', response: { code: 500 } });
    expect(late.response.reason).toMatch(/closed/);
    expect(fx.emulator.requests).toHaveLength(20);
  });
});

describe('idle keep-alive', () => {
  it('finds a connection that died silently while idle and replaces it before the next push', async () => {
    const proxy = await startBlackHoleProxy(fx.emulator.port);
    try {
      const provider = fx.provider({ port: proxy.port, requestTimeoutMs: 300, keepAliveMs: 100 });
      expect((await provider.send(voipPush())).kind).toBe('delivered');
      proxy.swallowOpenConnections();
      // No push is sent: only the keep-alive PING can notice the dead path.
      await proxy.clientGaveUp();
      expect((await provider.send(voipPush())).kind).toBe('delivered');
      expect(proxy.connections()).toBe(2);
    } finally {
      await proxy.close();
    }
  });
});
