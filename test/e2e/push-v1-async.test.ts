// return_async = false: 202 as soon as Redis holds the job; the worker delivers afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ server: { return_async: 'false' } });
});
afterAll(async () => {
  await stack?.close();
});

describe('asynchronous mode', () => {
  it('answers 202 accepted for delivery, then the emulator receives the push', async () => {
    const token = 'c'.repeat(64);
    const res = await stack.post('/push', {
      'app-id': 'com.pushwire.sandbox.sylk.dev',
      platform: 'apple',
      token,
      event: 'incoming_session',
      'call-id': 'async-1',
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'video',
      silent: true,
    });
    expect(res).toMatchObject({ status: 202, json: { code: 202, description: 'accepted for delivery', data: {} } });
    const [received] = await stack.sandbox.apns.waitForRequests(1, 10_000);
    expect(received).toMatchObject({ token, status: 200 });
    expect(received!.json).toMatchObject({ event: 'incoming_session', 'call-id': 'async-1', 'media-type': 'video' });
  });

  it('answers 503 and accepts nothing while Redis is down, and 202 again once it is back', async () => {
    await stack.redis.stop();
    const body = {
      'app-id': 'com.pushwire.sandbox.sylk.dev',
      platform: 'firebase',
      token: 'fcm-down',
      event: 'message',
      'call-id': 'down-1',
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'sms',
      silent: true,
    };
    const down = await stack.post('/push', body);
    expect(down.status).toBe(503);
    expect(down.json).toMatchObject({ code: 503 });
    await stack.redis.restart();
    // The ingest reconnects by itself; readiness says when.
    await waitUntil(async () => (await fetch(`${stack.url}/readyz`)).status === 200);
    // A client retries a 503; once Redis is back, a retry is accepted without restarting anything.
    let up = await stack.post('/push', body);
    const refusals: string[] = [];
    const deadline = Date.now() + 15_000;
    while (up.status === 503 && Date.now() < deadline) {
      refusals.push(up.text);
      await new Promise((r) => setTimeout(r, 100));
      up = await stack.post('/push', body);
    }
    if (refusals.length) console.log(`503 while reconnecting (${refusals.length}x): ${refusals[0]}`);
    expect(up.status, up.text).toBe(202);
    await waitUntil(() =>
      stack.sandbox.fcm.requests.some(
        (r) => (r.json as { message?: { token?: string } })?.message?.token === 'fcm-down',
      ),
    );
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
