// A bare node:http2 client and JWT minting for the emulator's own tests (no Pushwire code in the loop).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { connect, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { SignJWT } from 'jose';
import type { ApnsSigningKey } from '../apns/types.js';

export const DEVICE_TOKEN = 'a1'.repeat(32);

export interface TestSigningKey extends ApnsSigningKey {
  privateKey: KeyObject;
}

export function createSigningKey(teamId = 'TEAM123456', keyId = 'KEY1234567'): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { teamId, keyId, privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A provider token as Apple specifies it; `overrides` bend it to test each refusal. */
export async function mintToken(
  key: TestSigningKey,
  iatSeconds: number,
  overrides: { iss?: string; kid?: string; omitIat?: boolean } = {},
): Promise<string> {
  const claims: Record<string, unknown> = { iss: overrides.iss ?? key.teamId };
  if (!overrides.omitIat) claims.iat = iatSeconds;
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: overrides.kid ?? key.keyId }).sign(key.privateKey);
}

export async function openSession(
  origin: string,
  tls: { ca: string; cert?: string; key?: string },
): Promise<ClientHttp2Session> {
  const session = connect(origin, tls);
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  session.on('error', () => undefined);
  return session;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: unknown;
}

export function post(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body: string | Buffer = '{"aps":{"alert":"hi"}}',
  path = `/3/device/${DEVICE_TOKEN}`,
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': path, ...headers });
    let responseHeaders: TestResponse['headers'] = {};
    let text = '';
    stream.setEncoding('utf8');
    stream.on('response', (h) => (responseHeaders = h as TestResponse['headers']));
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => {
      const status = responseHeaders[':status'];
      if (status === undefined) {
        reject(new Error('the stream ended without a response'));
        return;
      }
      resolve({
        status: Number(status),
        headers: responseHeaders,
        body: text,
        json: text === '' ? null : (JSON.parse(text) as unknown),
      });
    });
    stream.on('close', () => reject(new Error(`the stream closed without a response (code ${stream.rstCode})`)));
    stream.on('error', reject);
    // GET and DELETE requests are sent with END_STREAM already set.
    if (!stream.writableEnded) stream.end(body);
  });
}

export function closeSession(session: ClientHttp2Session): Promise<void> {
  if (session.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    session.once('close', () => resolve());
    session.destroy();
  });
}
