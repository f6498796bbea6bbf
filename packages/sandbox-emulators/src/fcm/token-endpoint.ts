// The OAuth2 token endpoint: the JWT-bearer grant of a service account (RFC 7523), as oauth2.googleapis.com
// checks it, answered with a short-lived access token or Google's `{"error","error_description"}`.
import { randomBytes } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, importSPKI } from 'jose';
import { oauthError, type OAuthErrorBody } from './google-errors.js';
import type { RegisteredServiceAccount } from './types.js';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Access tokens live 3600 s; Google answers `expires_in: 3599`. */
export const ACCESS_TOKEN_LIFETIME_S = 3599;
/** Longest `exp - iat` Google accepts: "a short-lived token (60 minutes)". */
const MAX_ASSERTION_LIFETIME_S = 3600;
/** How far in the future `iat` may be (clock skew between the signer and Google). */
const MAX_IAT_SKEW_S = 300;

// Google's own words for these failures (seen in google-auth-library and gcloud bug reports).
const BAD_SIGNATURE = 'Invalid JWT Signature.';
const BAD_TIMEFRAME =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. ' +
  'Check your iat and exp values in the JWT claim.';

export interface IssuedAccessToken {
  accessToken: string;
  clientEmail: string;
  projectId: string;
  scopes: string[];
  /** ms since the epoch, on the emulator's clock. */
  expiresAt: number;
}

export interface TokenGrantResult {
  status: number;
  body: { access_token: string; expires_in: number; token_type: 'Bearer' } | OAuthErrorBody;
  claims: Record<string, unknown> | null;
  issued: IssuedAccessToken | null;
}

export interface TokenGrantContext {
  form: URLSearchParams;
  accounts: ReadonlyMap<string, RegisteredServiceAccount>;
  /** This emulator's own token URL, an accepted `aud` besides Google's. */
  tokenUri: string;
  now: number;
}

function isGoogleScope(scope: string): boolean {
  return scope.startsWith('https://www.googleapis.com/auth/') || ['openid', 'email', 'profile'].includes(scope);
}

function fail(error: string, description: string, claims: Record<string, unknown> | null = null): TokenGrantResult {
  return { status: 400, body: oauthError(error, description), claims, issued: null };
}

function decodeClaims(assertion: string): Record<string, unknown> | null {
  try {
    return decodeJwt(assertion) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function grantAccessToken(ctx: TokenGrantContext): Promise<TokenGrantResult> {
  const grantType = ctx.form.get('grant_type');
  if (grantType === null || grantType === '') return fail('invalid_request', 'Missing required parameter: grant_type');
  if (grantType !== JWT_BEARER_GRANT) return fail('unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  const assertion = ctx.form.get('assertion');
  if (assertion === null || assertion === '') return fail('invalid_request', 'Missing required parameter: assertion');

  const claims = decodeClaims(assertion);
  let header: { alg?: string; kid?: string };
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return fail('invalid_grant', BAD_SIGNATURE, claims);
  }
  if (claims === null) return fail('invalid_grant', BAD_SIGNATURE, claims);

  const iss = claims.iss;
  const account = typeof iss === 'string' ? ctx.accounts.get(iss) : undefined;
  if (account === undefined) return fail('invalid_grant', 'Invalid grant: account not found', claims);

  if (header.alg !== 'RS256') return fail('invalid_grant', BAD_SIGNATURE, claims);
  if (header.kid !== undefined && account.private_key_id !== undefined && header.kid !== account.private_key_id) {
    return fail('invalid_grant', BAD_SIGNATURE, claims);
  }
  try {
    const key = await importSPKI(account.publicKeyPem, 'RS256');
    await compactVerify(assertion, key, { algorithms: ['RS256'] });
  } catch {
    return fail('invalid_grant', BAD_SIGNATURE, claims);
  }

  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => a === GOOGLE_TOKEN_URL || a === ctx.tokenUri)) {
    return fail(
      'invalid_grant',
      `Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_URL}`,
      claims,
    );
  }

  const { iat, exp } = claims;
  const nowS = Math.floor(ctx.now / 1000);
  const timeframeOk =
    typeof iat === 'number' &&
    typeof exp === 'number' &&
    exp > iat &&
    exp - iat <= MAX_ASSERTION_LIFETIME_S &&
    exp > nowS &&
    iat <= nowS + MAX_IAT_SKEW_S;
  if (!timeframeOk) return fail('invalid_grant', BAD_TIMEFRAME, claims);

  // Any well-formed Google scope is granted, as Google does; whether it allows FCM is checked at send time.
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter((s) => s !== '') : [];
  if (scopes.length === 0 || !scopes.every(isGoogleScope)) {
    return fail('invalid_scope', 'Invalid OAuth scope or ID token audience provided.', claims);
  }

  const issued: IssuedAccessToken = {
    accessToken: `ya29.c.${randomBytes(48).toString('base64url')}`,
    clientEmail: account.client_email,
    projectId: account.projectId,
    scopes,
    expiresAt: ctx.now + (ACCESS_TOKEN_LIFETIME_S + 1) * 1000,
  };
  return {
    status: 200,
    body: { access_token: issued.accessToken, expires_in: ACCESS_TOKEN_LIFETIME_S, token_type: 'Bearer' },
    claims,
    issued,
  };
}
