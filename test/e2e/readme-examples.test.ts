// The README's curl examples, run as written (host and port swapped for this test's stack).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const EXAMPLES = [...README.matchAll(/^# (.+)\ncurl -s localhost:8400(\/\S+) -H 'content-type: application\/json' -d '([^']+)'/gm)].map(
  (m) => ({ title: m[1]!, path: m[2]!, body: m[3]! }),
);

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
    const before = stack.sandbox.apns.requests.length + stack.sandbox.fcm.requests.length;
    const res = await stack.post(example.path, example.body);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ code: 200, description: 'push notification response' });
    expect(stack.sandbox.apns.requests.length + stack.sandbox.fcm.requests.length).toBe(before + 1);
  });
});
