// Checks a request's VAPID authorization (RFC 8292) as a push service does: `vapid t=<JWT>, k=<key>`, an ES256
// JWT signed by `k`, `aud` the endpoint's origin, `exp` in the future and at most 24 hours ahead, a `sub`.
import { importJWK, jwtVerify, decodeProtectedHeader } from 'jose';

export type VapidVerdict =
  | { ok: true; publicKey: string; claims: Record<string, unknown> }
  | { ok: false; status: 401; reason: string };

const MAX_AHEAD_S = 24 * 3600;

function params(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return out;
}

export async function checkVapid(
  authorization: string | undefined,
  origin: string,
  nowMs: number,
): Promise<VapidVerdict> {
  const fail = (reason: string): VapidVerdict => ({ ok: false, status: 401, reason });
  if (authorization === undefined) return fail('missing Authorization: vapid t=..., k=...');
  const match = /^vapid\s+(.*)$/i.exec(authorization);
  if (!match) return fail('Authorization scheme must be vapid');
  const p = params(match[1]!);
  const token = p.get('t');
  const k = p.get('k');
  if (!token || !k) return fail('vapid authorization needs both t and k');
  const point = Buffer.from(k, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(k) || point.length !== 65 || point[0] !== 4)
    return fail('k must be an uncompressed P-256 key, base64url');
  try {
    if (decodeProtectedHeader(token).alg !== 'ES256') return fail('the JWT must be signed with ES256');
  } catch {
    return fail('t is not a JWT');
  }
  const key = await importJWK(
    {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    'ES256',
  );
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, key, {
      algorithms: ['ES256'],
      audience: origin,
      currentDate: new Date(nowMs),
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    return fail(`JWT refused: ${error instanceof Error ? error.message : String(error)}`);
  }
  const exp = claims.exp as number;
  if (exp > Math.floor(nowMs / 1000) + MAX_AHEAD_S) return fail('exp is more than 24 hours ahead');
  const sub = String(claims.sub);
  if (!/^mailto:/.test(sub) && !/^https:/.test(sub)) return fail('sub must be a mailto: or https: URL');
  return { ok: true, publicKey: k, claims };
}
