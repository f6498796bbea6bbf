// The README's curl examples, run as written (host and port swapped for this test's stack).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
// Every `curl` in the README, in order: method, path and body as written.
const CURLS = [...README.matchAll(/curl -s (?:-X (\w+) )?localhost:8400(\/\S+)(?: -H '[^']*')? -d '([^']+)'/g)].map((m) => ({
  method: m[1] ?? 'POST',
  path: m[2]!,
  body: m[3]!,
  title: README.slice(0, m.index).split('\n').reverse().find((l) => l.startsWith('# '))?.slice(2) ?? m[2]!,
}));
const EXAMPLES = CURLS.filter((c) => c.path === '/push');
const V2_EXAMPLES = CURLS.filter((c) => c.path.startsWith('/v2/'));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('README examples', () => {
  it('finds all of them', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(6);
  });

  it.each(EXAMPLES.map((e) => [e.title, e] as const))('%s → 200 and one push at an emulator', async (_title, example) => {
    const sent = () => stack.sandbox.apns.requests.length + stack.sandbox.fcm.requests.length + stack.sandbox.huawei.sends.length;
    const before = sent();
    const res = await stack.post(example.path, example.body);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ code: 200, description: 'push notification response' });
    expect(sent()).toBe(before + 1);
  });
});

describe('README v2 examples, in order', () => {
  it('finds them', () => {
    expect(V2_EXAMPLES.length).toBeGreaterThanOrEqual(4);
  });

  it('register, push to all, push to one, remove: each answers 200', async () => {
    for (const example of V2_EXAMPLES) {
      const res = await fetch(`${stack.url}${example.path}`, { method: example.method, headers: { 'content-type': 'application/json' }, body: example.body });
      expect(res.status, `${example.method} ${example.path}: ${await res.clone().text()}`).toBe(200);
    }
    expect(stack.sandbox.apns.requests.filter((r) => (r.json as { 'call-id'?: string })?.['call-id'] === 'call-9').map((r) => r.status)).toEqual([200, 200]);
  });
});
