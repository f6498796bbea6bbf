// A raw HTTPS client for the FCM emulator's own tests: hand-made grants and sends, no Pushwire code.
import { importPKCS8, SignJWT } from 'jose';
import { Agent } from 'undici';
import type { CreatedServiceAccount } from '../fcm/service-account.js';
import { GOOGLE_TOKEN_URL, JWT_BEARER_GRANT } from '../fcm/token-endpoint.js';

export interface RawReply {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined. */
  json: unknown;
}

export class EmulatorTestClient {
  private readonly agent: Agent;

  constructor(
    private readonly origin: string,
    caPem: string,
  ) {
    this.agent = new Agent({ connect: { ca: caPem } });
  }

  async request(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<RawReply> {
    const res = await this.agent.request({
      origin: this.origin,
      path,
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(signal === undefined ? {} : { signal }),
    });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, statusText: res.statusText ?? '', headers: res.headers, text, json };
  }

  /** POST /token with a JWT-bearer grant signed by `sa`'s key; `claims` overrides the defaults. */
  async grant(
    sa: CreatedServiceAccount,
    nowMs: number,
    claims: Record<string, unknown> = {},
    signWith?: string,
  ): Promise<RawReply> {
    const assertion = await signAssertion(sa, nowMs, claims, signWith);
    const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion });
    return this.request('POST', '/token', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }

  /** A fresh access token for `sa`. */
  async accessToken(sa: CreatedServiceAccount, nowMs: number, claims: Record<string, unknown> = {}): Promise<string> {
    const reply = await this.grant(sa, nowMs, claims);
    const token = (reply.json as { access_token?: unknown } | undefined)?.access_token;
    if (reply.status !== 200 || typeof token !== 'string')
      throw new Error(`grant failed: ${reply.status} ${reply.text}`);
    return token;
  }

  /** POST a v1 send with a bearer token. */
  send(projectId: string, body: unknown, accessToken: string | null): Promise<RawReply> {
    const headers: Record<string, string> = { 'content-type': 'application/json; UTF-8' };
    if (accessToken !== null) headers.authorization = `Bearer ${accessToken}`;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return this.request('POST', `/v1/projects/${projectId}/messages:send`, text, headers);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export async function signAssertion(
  sa: CreatedServiceAccount,
  nowMs: number,
  claims: Record<string, unknown> = {},
  signWith?: string,
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const payload = {
    iss: sa.json.client_email,
    aud: GOOGLE_TOKEN_URL,
    scope: 'https://www.googleapis.com/auth/firebase.messaging',
    iat,
    exp: iat + 3600,
    ...claims,
  };
  const key = await importPKCS8(signWith ?? sa.json.private_key, 'RS256');
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(key);
}
