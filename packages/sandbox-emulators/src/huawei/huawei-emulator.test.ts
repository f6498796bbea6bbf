// The Push Kit emulator's own strictness, with hand-made requests (no Pushwire code).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmulatorTestClient } from '../test-support/fcm-client.js';
import { createTestCa } from '../tls.js';
import { startHuaweiEmulator } from './huawei-emulator.js';
import type { HuaweiEmulator } from './types.js';

const APP = '10000042';
const SECRET = 'emulator-secret';
let emulator: HuaweiEmulator;
let client: EmulatorTestClient;

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'content-type': 'application/json' };

async function grant(form: Record<string, string>) {
  return client.request('POST', '/oauth2/v3/token', new URLSearchParams(form).toString(), FORM);
}

async function token(): Promise<string> {
  const reply = await grant({ grant_type: 'client_credentials', client_id: APP, client_secret: SECRET });
  return (reply.json as { access_token: string }).access_token;
}

const message = (extra: Record<string, unknown> = {}) => ({
  validate_only: false,
  message: { data: '{"a":"b"}', android: { urgency: 'HIGH', ttl: '30s' }, token: ['dev-1'], ...extra },
});

async function send(body: unknown, bearer: string, app = APP) {
  return client.request('POST', `/v1/${app}/messages:send`, JSON.stringify(body), {
    ...JSON_TYPE,
    authorization: `Bearer ${bearer}`,
  });
}

beforeAll(async () => {
  const ca = createTestCa();
  emulator = await startHuaweiEmulator({ tls: ca.issueServer(), tokenLifetimeS: 3600 });
  emulator.addApp({ clientId: APP, clientSecret: SECRET });
  emulator.addApp({ clientId: '10000043', clientSecret: 'other' });
  client = new EmulatorTestClient(emulator.origin, ca.cert);
});
beforeEach(() => emulator.reset());
afterAll(async () => {
  await emulator.close();
});

describe('token endpoint', () => {
  it('grants an expiring Bearer token for the right client id and secret, refuses anything else', async () => {
    const good = await grant({ grant_type: 'client_credentials', client_id: APP, client_secret: SECRET });
    expect(good).toMatchObject({
      status: 200,
      json: { access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' },
    });
    expect((await grant({ grant_type: 'client_credentials', client_id: APP, client_secret: 'nope' })).status).toBe(400);
    expect((await grant({ grant_type: 'client_credentials', client_id: '999', client_secret: SECRET })).status).toBe(
      400,
    );
    expect((await grant({ grant_type: 'password', client_id: APP, client_secret: SECRET })).status).toBe(400);
    const asJson = await client.request(
      'POST',
      '/oauth2/v3/token',
      JSON.stringify({ grant_type: 'client_credentials', client_id: APP, client_secret: SECRET }),
      JSON_TYPE,
    );
    expect(asJson.status).toBe(400);
  });
});

describe('messages:send', () => {
  it('delivers a valid data message and records its data', async () => {
    const reply = await send(message(), await token());
    expect(reply).toMatchObject({
      status: 200,
      json: { code: '80000000', msg: 'Success', requestId: expect.any(String) },
    });
    expect(emulator.sends[0]).toMatchObject({ appId: APP, token: 'dev-1', data: { a: 'b' }, code: '80000000' });
  });

  it("verifies the bearer: missing or another app's token → 80200001, expired → 80200003", async () => {
    expect((await send(message(), 'made-up')).json).toMatchObject({ code: '80200001' });
    const other = (await grant({ grant_type: 'client_credentials', client_id: '10000043', client_secret: 'other' }))
      .json as { access_token: string };
    expect(await send(message(), other.access_token)).toMatchObject({ status: 401, json: { code: '80200001' } });
    const bearer = await token();
    emulator.expireAccessTokens();
    expect(await send(message(), bearer)).toMatchObject({ status: 401, json: { code: '80200003' } });
  });

  it.each([
    ['an unknown top-level field', { ...message(), priority: 'high' }, '80100003'],
    ['an unknown message field', message({ ttl: '30s' }), '80100003'],
    ['data that is not a string', message({ data: { a: 'b' } }), '80100001'],
    ['no token', message({ token: [] }), '80300010'],
    ['1001 tokens', message({ token: Array.from({ length: 1001 }, (_, i) => `t${i}`) }), '80300010'],
    ['a bad urgency', message({ android: { urgency: 'high' } }), '80100001'],
    ['a bad ttl', message({ android: { ttl: '60' } }), '80100001'],
    ['an FCM-only android field', message({ android: { priority: 'high' } }), '80100003'],
    ['data over 4 KB', message({ data: JSON.stringify({ x: 'y'.repeat(4100) }) }), '80300008'],
  ])('refuses %s', async (_what, body, code) => {
    expect((await send(body, await token())).json).toMatchObject({ code });
  });

  it('answers result codes by token convention and injected faults', async () => {
    const bearer = await token();
    expect(await send(message({ token: ['code-80300007'] }), bearer)).toMatchObject({
      status: 400,
      json: { code: '80300007' },
    });
    expect(await send(message({ token: ['code-81000001'] }), bearer)).toMatchObject({
      status: 500,
      json: { code: '81000001' },
    });
    const partial = await send(message({ token: ['code-80100000'] }), bearer);
    expect(JSON.parse((partial.json as { msg: string }).msg)).toEqual({
      success: 0,
      failure: 1,
      illegal_tokens: ['code-80100000'],
    });
    expect(await send(message({ token: ['http-503'] }), bearer)).toMatchObject({
      status: 503,
      headers: { 'retry-after': '1' },
    });
    emulator.failToken('dev-9', { code: '80300008', times: 1 });
    expect((await send(message({ token: ['dev-9'] }), bearer)).json).toMatchObject({ code: '80300008' });
    expect((await send(message({ token: ['dev-9'] }), bearer)).json).toMatchObject({ code: '80000000' });
  });
});
