// Sends every recorded push through Pushwire's real providers (ApnsProvider over HTTP/2, FcmProvider with
// its OAuth token source) to a capturing server, and compares what arrives with what Sylk sent on the wire.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAppType } from '@pushwire/apps';
import { validatePushRequest, type OutgoingPush, type PushProvider } from '@pushwire/core';
import { ApnsProvider, ProviderTokenSigner, type ProviderTokenSource } from '../../packages/apns/src/index.js';
import { FcmProvider, GOOGLE_TOKEN_URL } from '../../packages/fcm/src/index.js';
import { createTestCa, type TestCa } from '@pushwire/sandbox-emulators';
import { startCaptureServer, type CapturedRequest, type CaptureServer } from './capture-server.js';
import { goldenAppLookup, OUTGOING_PUSHES, type GoldenApp, type GoldenPushCase } from './golden-fixtures.js';
import { expectFcmBodyAsSylk, withoutSendTime } from './golden-push-compare.js';

/** Added by the HTTP client, not by the application, on either side (httpx/requests for Sylk, node for Pushwire). */
const TRANSPORT_HEADERS = new Set([
  ':method',
  ':path',
  ':scheme',
  ':authority',
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'user-agent',
  'accept',
  'accept-encoding',
]);
const LEGACY_KEY = 'golden-legacy-server-key';
const TEAM_ID = 'TEAMGOLDEN';
const KEY_ID = 'GOLDEN1234';
const CLIENT_EMAIL = 'pushwire-golden@golden-test.iam.gserviceaccount.com';
const PRIVATE_KEY_ID = '0123456789abcdef';

/**
 * Known mismatch (see sylk-outgoing-pushes.test.ts): a numeric call-id 1e21 is '1e+21' in Sylk's push and
 * '1000000000000000000000' in Pushwire's. Runs as `it.fails` until Pushwire matches.
 */
const KNOWN_MISMATCHES = new Set(['sylk firebase v1: coerced values (call-id 1e21, reason 0)']);

const lookupApp = goldenAppLookup(OUTGOING_PUSHES.apps);
const cases = OUTGOING_PUSHES.cases;
let server: CaptureServer;
const providers = new Map<string, PushProvider>();

const b64json = (part: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

function staticTokens(signer: ProviderTokenSigner): ProviderTokenSource {
  let token: Promise<string> | null = null;
  return {
    get: () => (token ??= signer.sign(Math.floor(Date.now() / 1000))),
    invalidate: async () => {
      token = null;
    },
  };
}

/** One provider per app of the recording, configured as Sylk was (same ids, keys of the same kinds). */
function providerFor(app: GoldenApp, pushPath: string, ca: TestCa, port: number): PushProvider {
  if (app.platform === 'apple') {
    if (app.auth === 'certificate') {
      const client = ca.issueClient({ commonName: `Apple Push Services: ${app.app_id}`, uid: app.app_id });
      return new ApnsProvider({
        appId: app.app_id,
        host: '127.0.0.1',
        port,
        caPem: ca.cert,
        keepAliveMs: 0,
        auth: {
          kind: 'certificate',
          certFile: 'apns.crt',
          certPem: client.cert,
          keyFile: 'apns.key',
          keyPem: client.key,
        },
      });
    }
    const p8 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    return new ApnsProvider({
      appId: app.app_id,
      host: '127.0.0.1',
      port,
      caPem: ca.cert,
      keepAliveMs: 0,
      auth: { kind: 'token', keyFile: `AuthKey_${KEY_ID}.p8`, keyPem: p8, keyId: KEY_ID, teamId: TEAM_ID },
      tokens: staticTokens(new ProviderTokenSigner(TEAM_ID, KEY_ID, p8)),
    });
  }
  const pushUrl = `https://127.0.0.1:${port}${pushPath}`;
  if (app.auth === 'legacy-key')
    return new FcmProvider({
      appId: app.app_id,
      pushUrl,
      caPem: ca.cert,
      auth: { kind: 'legacy-key', key: LEGACY_KEY },
    });
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const serviceAccount = {
    type: 'service_account',
    project_id: 'golden-test',
    private_key_id: PRIVATE_KEY_ID,
    private_key: privateKey,
    client_email: CLIENT_EMAIL,
    token_uri: `https://127.0.0.1:${port}/token`,
  };
  return new FcmProvider({
    appId: app.app_id,
    pushUrl,
    caPem: ca.cert,
    auth: { kind: 'service-account', file: 'service-account.json', serviceAccount },
  });
}

beforeAll(async () => {
  const ca = createTestCa('Golden Test CA');
  server = await startCaptureServer(ca.issueServer());
  for (const app of OUTGOING_PUSHES.apps) {
    const sample = cases.find((c) => c.app.app_id === app.app_id && c.app.platform === app.platform);
    if (sample) providers.set(`${app.app_id}/${app.platform}`, providerFor(app, sample.sent.path, ca, server.port));
  }
});

afterAll(async () => {
  await Promise.all([...providers.values()].map((p) => p.close()));
  await server?.close();
});

function build(c: GoldenPushCase): OutgoingPush {
  const request = validatePushRequest(c.request, lookupApp);
  const type = getAppType(c.app.app_type)!;
  return c.app.platform === 'apple'
    ? type.apple(request, { now: new Date() })
    : type.firebase(request, { now: new Date(), legacy: c.app.auth === 'legacy-key' });
}

/** The application's headers of a captured request; the authorization value replaced by its scheme, as in the fixture. */
function appHeaders(req: CapturedRequest): { headers: Record<string, string>; credential: string | undefined } {
  const headers: Record<string, string> = {};
  let credential: string | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (TRANSPORT_HEADERS.has(name)) continue;
    if (name !== 'authorization') headers[name] = value;
    else if (value.startsWith('bearer ')) [headers[name], credential] = ['bearer <jwt>', value.slice(7)];
    else if (value.startsWith('Bearer ')) [headers[name], credential] = ['Bearer <access token>', value.slice(7)];
    else if (value.startsWith('key='))
      [headers[name], credential] = ['key=<firebase_authorization_key>', value.slice(4)];
    else headers[name] = value;
  }
  return { headers, credential };
}

const lowerCased = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

describe('on the wire, each push as Sylk sent it', () => {
  for (const c of cases) {
    const test = KNOWN_MISMATCHES.has(c.name) ? it.fails : it;
    test(KNOWN_MISMATCHES.has(c.name) ? `${c.name} [known mismatch]` : c.name, async () => {
      const provider = providers.get(`${c.app.app_id}/${c.app.platform}`)!;
      const outcome = await provider.send(build(c));
      expect(outcome.kind).toBe('delivered');
      const sent = server.take().filter((r) => r.path !== '/token');
      expect(sent).toHaveLength(1);
      const req = sent[0]!;

      expect({ method: req.method, path: req.path }).toEqual({ method: c.sent.method, path: c.sent.path });
      expect(req.httpVersion).toBe(c.sent.service === 'apns' ? '2.0' : '1.1');
      const { headers, credential } = appHeaders(req);
      expect(headers).toEqual(lowerCased(c.sent.headers));
      if (c.sent.auth?.scheme === 'bearer') {
        // Apple reads alg, kid, iss and iat. PyJWT also writes typ "JWT" (Pushwire does not): not compared.
        const [headerPart, claimsPart] = (credential ?? '').split('.');
        const [header, claims] = [b64json(headerPart), b64json(claimsPart)];
        const sylkJwt = c.sent.auth.jwt!;
        expect({ alg: header.alg, kid: header.kid }).toEqual({ alg: sylkJwt.header.alg, kid: sylkJwt.header.kid });
        expect(Object.keys(claims).sort()).toEqual(Object.keys(sylkJwt.claims).sort());
        expect(claims.iss).toBe(sylkJwt.claims.iss);
        expect(Number.isInteger(claims.iat)).toBe(true);
      }
      if (c.sent.auth?.scheme === 'Bearer') expect(credential).toBe(server.accessToken);
      if (c.sent.auth?.scheme === 'key=') expect(credential).toBe(LEGACY_KEY);

      const body = JSON.parse(req.body) as unknown;
      if (c.sent.service === 'apns') expect(withoutSendTime(body)).toEqual(withoutSendTime(c.sent.body));
      else expectFcmBodyAsSylk(body, c.sent.body);
    });
  }
});

describe('the OAuth grant for a service account, as Sylk asked its token_uri', () => {
  const sylk = OUTGOING_PUSHES.fcm_token_grant;
  let grant: CapturedRequest;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    const app = OUTGOING_PUSHES.apps.find((a) => a.auth === 'service-account')!;
    const sample = cases.find((c) => c.app.app_id === app.app_id && c.app.platform === app.platform)!;
    const ca = createTestCa('Golden Grant CA');
    const fresh = await startCaptureServer(ca.issueServer());
    // A provider and server of their own: the shared provider has cached its token already.
    const provider = providerFor(app, sample.sent.path, ca, fresh.port);
    try {
      expect((await provider.send(build(sample))).kind).toBe('delivered');
    } finally {
      await provider.close();
      await fresh.close();
    }
    const grants = fresh.take().filter((r) => r.path === '/token');
    expect(grants).toHaveLength(1);
    grant = grants[0]!;
    const [h, c] = (new URLSearchParams(grant.body).get('assertion') ?? '').split('.');
    [header, claims] = [b64json(h), b64json(c)];
  });

  it('posts a JWT-bearer grant with the same algorithm, issuer, scope and lifetime', () => {
    const form = new URLSearchParams(grant.body);
    // The media type only: gaxios appends ";charset=UTF-8", which is transport detail.
    const mediaType = grant.headers['content-type']?.split(';')[0];
    expect({
      method: grant.method,
      path: grant.path,
      content_type: mediaType,
      grant_type: form.get('grant_type'),
    }).toEqual({
      method: sylk.method,
      path: sylk.path,
      content_type: sylk.content_type,
      grant_type: sylk.grant_type,
    });
    expect(header.alg).toBe(sylk.assertion.header.alg);
    expect(sylk.assertion.claims.exp).toBe('<iat + 3600>');
    expect({ iss: claims.iss, scope: claims.scope, lifetime: Number(claims.exp) - Number(claims.iat) }).toEqual({
      iss: sylk.assertion.claims.iss,
      scope: sylk.assertion.claims.scope,
      lifetime: 3600,
    });
  });

  it("signs for Google's token URL where Sylk signs for the key file's token_uri (docs/decisions/0012-fcm-token-uri.md)", () => {
    // google-auth-library signs every grant for Google's token URL and Pushwire only redirects where it is
    // sent (ENVIRONMENT.md: a token endpoint other than Google's must accept that aud). Identical for real
    // Google key files, whose token_uri is Google's URL.
    expect(sylk.assertion.claims.aud).toBe(`https://127.0.0.1:18443${sylk.path}`);
    expect(claims.aud).toBe(GOOGLE_TOKEN_URL);
  });

  // Known mismatch: oauth2client writes {typ: JWT, alg, kid: private_key_id}; Pushwire's grant carries alg only.
  // Google's endpoint does not need kid; a stricter token_uri might. Runs as it.fails until they match.
  it.fails('names the key (kid = private_key_id) and typ JWT in the assertion header, as Sylk [known mismatch: Pushwire sends {alg} only]', () => {
    expect(header).toEqual(sylk.assertion.header);
  });
});
