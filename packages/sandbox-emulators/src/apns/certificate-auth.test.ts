// Certificate-based auth: a client certificate chaining to the client CA pushes to its own topics only.
import type { ClientHttp2Session } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa } from '../tls.js';
import { startApnsEmulator } from './apns-emulator.js';
import { closeSession, openSession, post } from '../test-support/h2-client.js';
import type { ApnsEmulator } from './types.js';

const BUNDLE = 'com.example.phone';

describe('APNs emulator certificate auth', () => {
  const serverCa = createTestCa('Server CA');
  const clientCa = createTestCa('Apple Worldwide Developer Relations (test)');
  const strangerCa = createTestCa('Someone else');
  const pushCert = clientCa.issueClient({ commonName: `Apple Push Services: ${BUNDLE}`, uid: BUNDLE });
  let emulator: ApnsEmulator;
  let certified: ClientHttp2Session;

  beforeAll(async () => {
    emulator = await startApnsEmulator({ tls: serverCa.issueServer(), clientCa: clientCa.cert });
    certified = await openSession(emulator.origin, { ca: serverCa.cert, ...pushCert });
  });
  afterAll(async () => {
    await closeSession(certified);
    await emulator.close();
  });

  it('accepts pushes to the bundle id, its .voip and its .complication topics', async () => {
    const alert = await post(certified, { 'apns-topic': BUNDLE, 'apns-push-type': 'alert' });
    const voip = await post(certified, {
      'apns-topic': `${BUNDLE}.voip`,
      'apns-push-type': 'voip',
      'apns-priority': '10',
    });
    const complication = await post(certified, {
      'apns-topic': `${BUNDLE}.complication`,
      'apns-push-type': 'complication',
    });
    expect([alert.status, voip.status, complication.status]).toEqual([200, 200, 200]);
    expect(emulator.requests.at(-1)?.auth).toEqual({
      kind: 'certificate',
      uid: BUNDLE,
      subject: `CN=Apple Push Services: ${BUNDLE}\nUID=${BUNDLE}`,
    });
  });

  it("pushes to the certificate's own topic when apns-topic is left out", async () => {
    expect((await post(certified, { 'apns-push-type': 'alert' })).status).toBe(200);
  });

  it('answers 400 TopicDisallowed for another app’s topic', async () => {
    const response = await post(certified, { 'apns-topic': 'com.other.app', 'apns-push-type': 'alert' });
    expect([response.status, response.json]).toEqual([400, { reason: 'TopicDisallowed' }]);
  });

  it('answers 403 MissingProviderToken on a connection without a certificate or token', async () => {
    const bare = await openSession(emulator.origin, { ca: serverCa.cert });
    try {
      const response = await post(bare, { 'apns-topic': BUNDLE });
      expect([response.status, response.json]).toEqual([403, { reason: 'MissingProviderToken' }]);
      expect(emulator.requests.at(-1)?.auth).toEqual({ kind: 'none' });
    } finally {
      await closeSession(bare);
    }
  });

  it('answers 403 BadCertificate when the certificate does not chain to the client CA', async () => {
    const stranger = await openSession(emulator.origin, {
      ca: serverCa.cert,
      ...strangerCa.issueClient({ commonName: 'Apple Push Services: com.example.phone', uid: BUNDLE }),
    });
    try {
      const response = await post(stranger, { 'apns-topic': BUNDLE });
      expect([response.status, response.json]).toEqual([403, { reason: 'BadCertificate' }]);
    } finally {
      await closeSession(stranger);
    }
  });

  it('answers 400 TopicDisallowed for every topic when the certificate has no UID', async () => {
    const anonymous = await openSession(emulator.origin, {
      ca: serverCa.cert,
      ...clientCa.issueClient({ commonName: 'no uid' }),
    });
    try {
      expect((await post(anonymous, { 'apns-topic': BUNDLE })).json).toEqual({ reason: 'TopicDisallowed' });
      expect((await post(anonymous, {})).json).toEqual({ reason: 'MissingTopic' });
    } finally {
      await closeSession(anonymous);
    }
  });
});
