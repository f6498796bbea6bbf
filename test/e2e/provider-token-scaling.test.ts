// Three worker processes against one APNs app mint exactly one provider token between them: APNs
// answers 429 TooManyProviderTokenUpdates to gateways whose processes each mint their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_KEY_ID, SANDBOX_TEAM_ID } from '@pushwire/sandbox-emulators';
import { startStack, type Stack } from '../harness/index.js';

let stack: Stack;
beforeAll(async () => {
  // Low concurrency so the jobs spread over the three processes.
  stack = await startStack({
    workers: 3,
    server: { return_async: 'false' },
    env: { PUSHWIRE_WORKER_CONCURRENCY: '2' },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('scaled-out workers', () => {
  it('share one provider token and all deliver', async () => {
    const total = 60;
    const answers = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        stack.post('/push', {
          'app-id': 'com.pushwire.sandbox.sylk.dev',
          platform: 'apple',
          token: (i + 1).toString(16).padStart(64, 'e'),
          event: 'message',
          'call-id': `scale-${i}`,
          from: 'alice@example.com',
          to: 'bob@example.com',
          'media-type': 'chat',
          silent: true,
        }),
      ),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const received = await stack.sandbox.apns.waitForRequests(total, 20_000);
    expect(received.filter((r) => r.status === 200)).toHaveLength(total);
    expect(stack.sandbox.apns.providerTokens(SANDBOX_TEAM_ID, SANDBOX_KEY_ID)).toHaveLength(1);
  });
});
