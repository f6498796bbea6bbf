// The documentation's curl examples (README.md and docs/), run as written (host and port swapped for this test's stack).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentationText, startStack, type Stack } from '../harness/index.js';

// README.md and docs/*.md: the examples live in both.
const README = documentationText();
// Every `curl` in the README, in order: method, path and body as written.
const CURLS = [...README.matchAll(/curl -s (?:-X (\w+) )?localhost:8400(\/\S+)(?: -H '[^']*')? -d '([^']+)'/g)].map(
  (m) => ({
    method: m[1] ?? 'POST',
    path: m[2]!,
    body: m[3]!,
    title:
      README.slice(0, m.index)
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('# '))
        ?.slice(2) ?? m[2]!,
  }),
);
const EXAMPLES = CURLS.filter((c) => c.path === '/push');
const V2_EXAMPLES = CURLS.filter((c) => c.path.startsWith('/v2/'));
// The sandbox's error tokens: | platform | `token` | what the emulator answers | what Pushwire answers |.
const ERROR_TOKENS = [...README.matchAll(/^\| (apple|firebase) \| `([^`]+)` \| ([^|]+) \| (\d{3})[^|]* \|$/gm)].map(
  (m) => ({
    platform: m[1] as 'apple' | 'firebase',
    token: m[2]!,
    emulator: [...m[3]!.matchAll(/\b\d{3}\b/g)].map((n) => Number(n[0])),
    pushwire: Number(m[4]),
  }),
);
// The audit example runs on the sandbox login the README gives.
const SANDBOX_LOGIN = /PUSHWIRE_ADMIN_USER=(\S+) PUSHWIRE_ADMIN_PASSWORD=(\S+) pnpm start/.exec(README);
const AUDIT_CURL = /curl -s -u ([^:\s]+):(\S+) "localhost:8400\/v1\/calls\/\$\(node -p '[^']*' '([^']+)'\)"/.exec(
  README,
);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { PUSHWIRE_ADMIN_USER: SANDBOX_LOGIN?.[1], PUSHWIRE_ADMIN_PASSWORD: SANDBOX_LOGIN?.[2] },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('README examples', () => {
  it('finds all of them', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(6);
  });

  it.each(EXAMPLES.map((e) => [e.title, e] as const))(
    '%s → 200 and one push at an emulator',
    async (_title, example) => {
      const sent = () =>
        stack.sandbox.apns.requests.length + stack.sandbox.fcm.requests.length + stack.sandbox.huawei.sends.length;
      const before = sent();
      const res = await stack.post(example.path, example.body);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ code: 200, description: 'push notification response' });
      expect(sent()).toBe(before + 1);
    },
  );
});

describe('README v2 examples, in order', () => {
  it('finds them', () => {
    expect(V2_EXAMPLES.length).toBeGreaterThanOrEqual(4);
  });

  it('register, push to all, push to one, remove: each answers 200', async () => {
    for (const example of V2_EXAMPLES) {
      const res = await fetch(`${stack.url}${example.path}`, {
        method: example.method,
        headers: { 'content-type': 'application/json' },
        body: example.body,
      });
      expect(res.status, `${example.method} ${example.path}: ${await res.clone().text()}`).toBe(200);
    }
    expect(
      stack.sandbox.apns.requests
        .filter((r) => (r.json as { 'call-id'?: string })?.['call-id'] === 'call-9')
        .map((r) => r.status),
    ).toEqual([200, 200]);
  });
});

describe('README: Sylk apps require silent', () => {
  it('says so, and a Sylk push without it gets the 400 the README quotes', async () => {
    const quoted = /Sylk apps require `silent` in every push[\s\S]*?without it the answer is 400 `([^`]+)`/.exec(
      README,
    );
    expect(quoted).not.toBeNull();
    const first = JSON.parse(EXAMPLES[0]!.body) as Record<string, unknown>;
    expect(first['app-id']).toBe('com.pushwire.sandbox.sylk.dev');
    delete first.silent;
    const res = await stack.post('/push', first);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 400, description: quoted![1] });
  });
});

describe("README: the sandbox's push-service errors", () => {
  it('lists a token for each error', () => {
    expect(ERROR_TOKENS.map((t) => t.emulator[0])).toEqual(expect.arrayContaining([410, 400, 500, 503, 429, 404]));
  });

  it.each(ERROR_TOKENS.map((t) => [`${t.platform} ${t.token.slice(0, 24)}`, t] as const))('%s', async (_title, row) => {
    const res = await stack.post('/push', {
      'app-id': 'com.pushwire.sandbox.sylk.dev',
      platform: row.platform,
      token: row.token,
      event: 'message',
      'call-id': `error-${row.token}`,
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'sms',
      silent: true,
      content: 'hi',
    });
    expect(res.json, res.text).toMatchObject({ code: row.pushwire });
    const emulator = row.platform === 'apple' ? stack.sandbox.apns : stack.sandbox.fcm;
    expect(emulator.requests.filter((r) => r.token === row.token).map((r) => r.status)).toEqual(row.emulator);
  });
});

describe('README: the audit example', () => {
  it("uses the sandbox login the README gives, and finds the first example's call", async () => {
    expect(SANDBOX_LOGIN).not.toBeNull();
    expect(AUDIT_CURL).not.toBeNull();
    const [, user, password, callId] = AUDIT_CURL!;
    expect([user, password]).toEqual([SANDBOX_LOGIN![1], SANDBOX_LOGIN![2]]);
    const res = await fetch(`${stack.url}/v1/calls/${encodeURIComponent(callId!)}`, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { pushes: unknown[] }).pushes.length).toBeGreaterThan(0);
  });
});
