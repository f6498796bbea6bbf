import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@pushwire/core';
import { createTestCa } from '../tls.js';
import { createServiceAccount, startFcmEmulator, type CreatedServiceAccount, type FcmEmulator } from './index.js';
import { EmulatorTestClient } from '../test-support/fcm-client.js';

const PROJECT = 'emulator-test';
const clock = new ManualClock(Date.UTC(2025, 0, 15, 12));
const message = (token: string): unknown => ({
  message: { token, data: { event: 'cancel' }, android: { priority: 'high', ttl: '60s' } },
});
let emulator: FcmEmulator;
let client: EmulatorTestClient;
let sa: CreatedServiceAccount;
let accessToken: string;

beforeAll(async () => {
  const ca = createTestCa();
  emulator = await startFcmEmulator({ tls: ca.issueServer(), clock });
  client = new EmulatorTestClient(emulator.origin, ca.cert);
  sa = createServiceAccount({ projectId: PROJECT, tokenUri: emulator.tokenUri });
  emulator.addServiceAccount({ client_email: sa.json.client_email, publicKeyPem: sa.publicKeyPem, projectId: PROJECT });
  accessToken = await client.accessToken(sa, clock.now());
});

afterEach(() => emulator.reset());

afterAll(async () => {
  await emulator.close();
  await client.close();
});

describe('messages:send', () => {
  it('accepts a valid message and records what arrived', async () => {
    const reply = await client.send(PROJECT, message('tok-ok'), accessToken);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(reply.json).toEqual({
      name: expect.stringMatching(/^projects\/emulator-test\/messages\/0:\d+%[0-9a-f]{16}$/),
    });
    const [recorded] = await emulator.waitForRequests(1);
    expect(recorded).toMatchObject({
      method: 'POST',
      path: '/v1/projects/emulator-test/messages:send',
      projectId: PROJECT,
      token: 'tok-ok',
      status: 200,
      json: message('tok-ok'),
      fault: null,
      at: clock.now(),
    });
    expect(recorded?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(recorded?.headers['content-type']).toBe('application/json; UTF-8');
  });

  it('answers a dry run with a fixed name', async () => {
    const reply = await client.send(PROJECT, { validate_only: true, ...(message('t') as object) }, accessToken);
    expect(reply.json).toEqual({ name: 'projects/emulator-test/messages/fake_message_id' });
  });

  it('wants a credential: none → 401 CREDENTIALS_MISSING', async () => {
    const reply = await client.send(PROJECT, message('t'), null);
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="https://accounts.google.com/"');
    expect(reply.json).toMatchObject({
      error: {
        code: 401,
        status: 'UNAUTHENTICATED',
        message: expect.stringMatching(/^Request is missing required authentication credential\./),
      },
    });
  });

  it('refuses unknown tokens and legacy keys with 401', async () => {
    for (const authorization of ['Bearer ya29.forged', 'key=AAAA-legacy']) {
      const reply = await client.request(
        'POST',
        `/v1/projects/${PROJECT}/messages:send`,
        JSON.stringify(message('t')),
        { authorization },
      );
      expect(reply.status).toBe(401);
      expect(reply.json).toMatchObject({
        error: { message: expect.stringMatching(/^Request had invalid authentication credentials\./) },
      });
    }
  });

  it('refuses a token once it expired on its clock', async () => {
    const start = clock.now();
    const shortLived = await client.accessToken(sa, start);
    clock.advance(3600_000);
    try {
      const reply = await client.send(PROJECT, message('t'), shortLived);
      expect(reply.status).toBe(401);
      expect(JSON.stringify(reply.json)).toContain('ACCESS_TOKEN_EXPIRED');
    } finally {
      clock.set(start);
    }
  });

  it('answers 403 for a project the service account does not belong to', async () => {
    const reply = await client.send('someone-else', message('t'), accessToken);
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({
      error: {
        code: 403,
        status: 'PERMISSION_DENIED',
        message:
          "Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/someone-else' (or it may not exist).",
      },
    });
  });

  it('answers 403 for a token without an FCM scope', async () => {
    const token = await client.accessToken(sa, clock.now(), {
      scope: 'https://www.googleapis.com/auth/userinfo.email',
    });
    const reply = await client.send(PROJECT, message('t'), token);
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ error: { message: 'Request had insufficient authentication scopes.' } });
  });

  it('checks the body after the credential: bad JSON and bad fields are 400 INVALID_ARGUMENT', async () => {
    const notJson = await client.send(PROJECT, '{"message":', accessToken);
    expect(notJson.status).toBe(400);
    const nested = await client.send(
      PROJECT,
      { message: { token: 't', data: { metadata: { filename: 'a' } } } },
      accessToken,
    );
    expect(nested.status).toBe(400);
    expect(nested.json).toMatchObject({
      error: { status: 'INVALID_ARGUMENT', message: expect.stringContaining("'message.data[0].value' (TYPE_STRING)") },
    });
  });

  it('answers 404 to other paths and methods, and the retired legacy API with 401 INVALID_KEY', async () => {
    expect((await client.request('POST', '/v1/projects/p/messages:list', '{}')).status).toBe(404);
    expect((await client.request('GET', `/v1/projects/${PROJECT}/messages:send`, undefined)).status).toBe(404);
    const legacy = await client.request('POST', '/fcm/send', JSON.stringify({ to: 'tok', data: {} }), {
      authorization: 'key=AAAA',
      'content-type': 'application/json',
    });
    expect(legacy.status).toBe(401);
    expect(legacy.statusText).toBe('INVALID_KEY');
    expect(legacy.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(legacy.text).toContain('<TITLE>INVALID_KEY</TITLE>');
    expect(emulator.requests.at(-1)).toMatchObject({ path: '/fcm/send', projectId: null, token: 'tok', status: 401 });
  });
});

describe('faults by token', () => {
  it("answers Google's UNREGISTERED body exactly", async () => {
    emulator.failToken('dead', { status: 404, errorStatus: 'UNREGISTERED' });
    const reply = await client.send(PROJECT, message('dead'), accessToken);
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({
      error: {
        code: 404,
        message: 'Requested entity was not found.',
        status: 'NOT_FOUND',
        details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }],
      },
    });
    expect(emulator.requests.at(-1)).toMatchObject({ status: 404, fault: 'status' });
  });

  it('answers INVALID_ARGUMENT, QUOTA_EXCEEDED (with retry-after), UNAVAILABLE and INTERNAL', async () => {
    const cases = [
      {
        status: 400,
        errorStatus: 'INVALID_ARGUMENT',
        canonical: 'INVALID_ARGUMENT',
        text: 'The registration token is not a valid FCM registration token',
      },
      {
        status: 429,
        errorStatus: 'QUOTA_EXCEEDED',
        canonical: 'RESOURCE_EXHAUSTED',
        text: 'Resource has been exhausted (e.g. check quota).',
      },
      {
        status: 503,
        errorStatus: 'UNAVAILABLE',
        canonical: 'UNAVAILABLE',
        text: 'The service is currently unavailable.',
      },
      { status: 500, errorStatus: 'INTERNAL', canonical: 'INTERNAL', text: 'Internal error encountered.' },
    ];
    for (const c of cases) {
      emulator.failToken(`tok-${c.status}`, { status: c.status, errorStatus: c.errorStatus, retryAfterSeconds: 7 });
      const reply = await client.send(PROJECT, message(`tok-${c.status}`), accessToken);
      expect(reply.status).toBe(c.status);
      expect(reply.headers['retry-after']).toBe('7');
      expect(reply.json).toMatchObject({
        error: { code: c.status, status: c.canonical, message: c.text, details: [{ errorCode: c.errorStatus }] },
      });
    }
  });

  it('uses a fault `times` times, in the order given, then answers normally', async () => {
    emulator.failToken('flaky', { status: 503, errorStatus: 'UNAVAILABLE', times: 2 });
    emulator.failToken('flaky', { status: 404, errorStatus: 'UNREGISTERED', message: 'gone', times: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await client.send(PROJECT, message('flaky'), accessToken)).status);
    expect(statuses).toEqual([503, 503, 404, 200]);
  });

  it('validates before a status fault applies', async () => {
    emulator.failToken('bad-body', { status: 404, errorStatus: 'UNREGISTERED' });
    const reply = await client.send(PROJECT, { message: { token: 'bad-body', data: { n: 1 } } }, accessToken);
    expect(reply.status).toBe(400);
  });

  it('drops the connection without an answer', async () => {
    emulator.failToken('drop-me', { drop: true, times: 1 });
    await expect(client.send(PROJECT, message('drop-me'), accessToken)).rejects.toThrow();
    expect(emulator.requests.at(-1)).toMatchObject({ token: 'drop-me', status: 0, response: null, fault: 'drop' });
    expect((await client.send(PROJECT, message('drop-me'), accessToken)).status).toBe(200);
  });

  it('stalls until the client gives up', async () => {
    emulator.failToken('stall-me', { stall: true, times: 1 });
    const controller = new AbortController();
    const pending = client.request(
      'POST',
      `/v1/projects/${PROJECT}/messages:send`,
      JSON.stringify(message('stall-me')),
      {
        authorization: `Bearer ${accessToken}`,
      },
      controller.signal,
    );
    const [recorded] = await emulator.waitForRequests(1);
    expect(recorded).toMatchObject({ token: 'stall-me', status: 0, response: null, fault: 'stall' });
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect((await client.send(PROJECT, message('stall-me'), accessToken)).status).toBe(200);
  });
});

describe('lifecycle', () => {
  it('cuts stalled requests on close, and waitForRequests times out', async () => {
    const ca = createTestCa();
    const own = await startFcmEmulator({ tls: ca.issueServer() });
    const ownClient = new EmulatorTestClient(own.origin, ca.cert);
    own.failToken('s', { stall: true });
    const pending = ownClient.request('POST', '/v1/projects/p/messages:send', JSON.stringify(message('s')), {});
    await own.waitForRequests(1);
    await expect(own.waitForRequests(2, 50)).rejects.toThrow(/FCM emulator: waited 50 ms for 2 request\(s\), got 1/);
    await own.close();
    await expect(pending).rejects.toThrow();
    await ownClient.close();
  });

  it('reset clears records and faults; revokeAccessTokens makes tokens fail with 401', async () => {
    emulator.failToken('r', { status: 500, errorStatus: 'INTERNAL' });
    await client.send(PROJECT, message('x'), accessToken);
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect((await client.send(PROJECT, message('r'), accessToken)).status).toBe(200);
    const token = await client.accessToken(sa, clock.now());
    emulator.revokeAccessTokens();
    expect((await client.send(PROJECT, message('r'), token)).status).toBe(401);
    accessToken = await client.accessToken(sa, clock.now());
  });
});
