import { importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@pushwire/core';
import { createTestCa } from '../tls.js';
import { createServiceAccount, startFcmEmulator, type CreatedServiceAccount, type FcmEmulator } from './index.js';
import { EmulatorTestClient } from '../test-support/fcm-client.js';

const PROJECT = 'token-test';
const clock = new ManualClock(Date.UTC(2025, 0, 15, 12));
let emulator: FcmEmulator;
let client: EmulatorTestClient;
let sa: CreatedServiceAccount;

beforeAll(async () => {
  const ca = createTestCa();
  emulator = await startFcmEmulator({ tls: ca.issueServer(), clock });
  client = new EmulatorTestClient(emulator.origin, ca.cert);
  sa = createServiceAccount({ projectId: PROJECT, tokenUri: emulator.tokenUri });
  emulator.addServiceAccount({ client_email: sa.json.client_email, publicKeyPem: sa.publicKeyPem, projectId: PROJECT });
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe('POST /token (JWT-bearer grant)', () => {
  it("issues an access token for a grant with Google's aud", async () => {
    const reply = await client.grant(sa, clock.now());
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3599,
      token_type: 'Bearer',
    });
    const recorded = emulator.tokenRequests.at(-1);
    expect(recorded?.status).toBe(200);
    expect(recorded?.claims?.iss).toBe(sa.json.client_email);
    expect(recorded?.form.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
  });

  it("accepts the emulator's own token URI as aud", async () => {
    const reply = await client.grant(sa, clock.now(), { aud: emulator.tokenUri });
    expect(reply.status).toBe(200);
  });

  it('refuses another audience', async () => {
    const reply = await client.grant(sa, clock.now(), { aud: 'https://example.com/token' });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('audience'),
    });
  });

  it('refuses an unknown service account', async () => {
    const reply = await client.grant(sa, clock.now(), { iss: 'nobody@x.iam.gserviceaccount.com' });
    expect(reply.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: account not found' });
    expect(reply.status).toBe(400);
  });

  it('refuses a signature made with another key', async () => {
    const other = createServiceAccount({ projectId: PROJECT, tokenUri: emulator.tokenUri });
    const reply = await client.grant(sa, clock.now(), {}, other.json.private_key);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
  });

  it('refuses a kid that is not the registered private_key_id', async () => {
    const withKid = createServiceAccount({ projectId: PROJECT, tokenUri: emulator.tokenUri });
    emulator.addServiceAccount({
      client_email: withKid.json.client_email,
      publicKeyPem: withKid.publicKeyPem,
      projectId: PROJECT,
      private_key_id: withKid.json.private_key_id,
    });
    const iat = Math.floor(clock.now() / 1000);
    const sign = async (kid: string): Promise<string> =>
      new SignJWT({
        iss: withKid.json.client_email,
        aud: 'https://oauth2.googleapis.com/token',
        scope: 'https://www.googleapis.com/auth/firebase.messaging',
        iat,
        exp: iat + 600,
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .sign(await importPKCS8(withKid.json.private_key, 'RS256'));
    const post = async (assertion: string): Promise<number> =>
      (
        await client.request(
          'POST',
          '/token',
          new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
          {
            'content-type': 'application/x-www-form-urlencoded',
          },
        )
      ).status;
    expect(await post(await sign('wrong-kid'))).toBe(400);
    expect(await post(await sign(withKid.json.private_key_id))).toBe(200);
  });

  it('refuses assertions living longer than an hour, expired, or issued in the future', async () => {
    const now = Math.floor(clock.now() / 1000);
    for (const claims of [
      { iat: now, exp: now + 3601 },
      { iat: now - 3600, exp: now - 1 },
      { iat: now + 900, exp: now + 1800 },
    ]) {
      const reply = await client.grant(sa, clock.now(), claims);
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('Check your iat and exp values'),
      });
    }
  });

  it('judges expiry on its own clock', async () => {
    const signedAt = clock.now();
    clock.advance(3601_000);
    try {
      const reply = await client.grant(sa, signedAt);
      expect(reply.status).toBe(400);
    } finally {
      clock.set(signedAt);
    }
  });

  it('refuses an empty or non-Google scope', async () => {
    for (const scope of ['', 'messaging']) {
      const reply = await client.grant(sa, clock.now(), { scope });
      expect(reply.json).toEqual({
        error: 'invalid_scope',
        error_description: 'Invalid OAuth scope or ID token audience provided.',
      });
    }
  });

  it('refuses other grant types and a missing assertion', async () => {
    const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const other = await client.request('POST', '/token', form({ grant_type: 'client_credentials' }), headers);
    expect(other.json).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Invalid grant_type: client_credentials',
    });
    const missing = await client.request(
      'POST',
      '/token',
      form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }),
      headers,
    );
    expect(missing.json).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: assertion',
    });
    const garbage = await client.request(
      'POST',
      '/token',
      form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'a.b.c' }),
      headers,
    );
    expect(garbage.status).toBe(400);
    expect(garbage.json).toMatchObject({ error: 'invalid_grant' });
  });
});
