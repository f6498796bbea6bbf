// One OAuth 2.0 client-credentials grant at Huawei's token endpoint.
import { Agent } from 'undici';

export interface GrantedToken {
  accessToken: string;
  /** When Huawei stops accepting it, ms since the epoch (from `expires_in`, usually 3600 s). */
  expiresAt: number;
}

/** The endpoint refused the grant (wrong client id or secret ...) or answered something unreadable. */
export class TokenGrantError extends Error {
  override name = 'TokenGrantError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface GrantRequest {
  tokenUrl: URL;
  clientId: string;
  clientSecret: string;
  dispatcher: Agent;
  signal: AbortSignal;
  /** ms since the epoch, when the request is sent. */
  now: number;
}

export async function grantToken(request: GrantRequest): Promise<GrantedToken> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: request.clientId,
    client_secret: request.clientSecret,
  });
  const res = await request.dispatcher.request({
    origin: request.tokenUrl.origin,
    path: `${request.tokenUrl.pathname}${request.tokenUrl.search}`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    signal: request.signal,
  });
  const text = await res.body.text();
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: described below by status.
  }
  const token = json.access_token;
  const expiresIn = Number(json.expires_in);
  if (res.statusCode === 200 && typeof token === 'string' && token !== '' && expiresIn > 0) {
    return { accessToken: token, expiresAt: request.now + expiresIn * 1000 };
  }
  const error = json.error === undefined ? '' : String(json.error);
  const description = typeof json.error_description === 'string' ? json.error_description : text.trim().slice(0, 200);
  const detail = [error, description].filter((part) => part !== '').join(': ');
  throw new TokenGrantError(`HTTP ${res.statusCode}${detail === '' ? '' : ` ${detail}`}`, res.statusCode);
}

/** One grant on a connection of its own (for `config check --live`): proves the app secret. */
export async function grantTokenOnce(options: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  caPem: string | null;
  timeoutMs: number;
}): Promise<GrantedToken> {
  const dispatcher = new Agent(options.caPem === null ? {} : { connect: { ca: options.caPem } });
  try {
    return await grantToken({
      tokenUrl: new URL(options.tokenUrl),
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      dispatcher,
      signal: AbortSignal.timeout(options.timeoutMs),
      now: Date.now(),
    });
  } finally {
    await dispatcher.close();
  }
}
