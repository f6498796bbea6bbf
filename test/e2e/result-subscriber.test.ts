// Sync answers when ingest's result subscriber drops: the drop is logged and shown on the metrics port's /readyz,
// callers still get the push service's answer (not a silent 202), and the subscriber comes back by itself.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const token = (n: number) => `e${n.toString(16).padStart(63, '0')}`;
const message = (n: number) => ({
  'app-id': SYLK,
  platform: 'apple',
  token: token(n),
  event: 'message',
  'call-id': `sub-${n}`,
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'sms',
  silent: true,
  content: 'hi',
  'content-type': 'text/plain',
});

let stack: Stack;
let redis: Redis;
let readyzUrl: string;
beforeAll(async () => {
  stack = await startStack({ env: { PUSHWIRE_METRICS_PORT: '0' } });
  redis = new Redis(stack.redis.url);
  // The readiness details are on the metrics port (the API port's /readyz says ready or not, nothing more).
  await stack.ingest.waitFor('ingest metrics on');
  const metrics = /ingest metrics on (http:\/\/[^\s"]+)\/metrics/.exec(stack.ingest.output());
  readyzUrl = `${metrics![1]}/readyz`;
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.close();
});

async function readyz(): Promise<{ result_subscriber: { state: string; error?: string | null } }> {
  return (await (await fetch(readyzUrl)).json()) as { result_subscriber: { state: string } };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('result subscriber', () => {
  it("is one named subscription per ingest, shown on the metrics port's /readyz", async () => {
    expect((await readyz()).result_subscriber).toEqual({ state: 'subscribed' });
    const clients = String(await redis.client('LIST'));
    expect(clients.match(/name=pushwire-results-[0-9a-f-]{36} .*cmd=subscribe/g)).toHaveLength(1);
    const res = await stack.post('/push', message(1));
    expect([res.status, (res.json as { data: { code: number } }).data.code]).toEqual([200, 200]);
  });

  it('keeps answering sync callers through a dropped subscriber, logs it, and resubscribes', async () => {
    const clients = String(await redis.client('LIST'));
    const id = /id=(\d+) [^\n]*name=pushwire-results-/.exec(clients)?.[1];
    expect(id).toBeDefined();
    await redis.client('KILL', 'ID', id!);
    await stack.ingest.waitFor('result subscriber disconnected');
    // Whether it is back yet or not, every sync caller gets the push service's answer.
    const answers = await Promise.all([2, 3, 4].map((n) => stack.post('/push', message(n))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await stack.ingest.waitFor('result subscriber reconnected and resubscribed');
    await until(async () => (await readyz()).result_subscriber.state === 'subscribed');
    const after = await stack.post('/push', message(5));
    expect(after.status).toBe(200);
  });
});
