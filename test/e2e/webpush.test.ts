// End to end for Web Push: v1 /push and v2 registration/push through the ingest and worker processes to the
// strict Web Push emulator, which checks VAPID, decrypts the payload with the subscription's keys and records it.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webPushTopic } from '@pushwire/apps';
import { Redis } from 'ioredis';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_WEBPUSH_SUBSCRIPTION } from '@pushwire/sandbox-emulators';
import { documentationText, spawnPushwire, startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const SUB_ID = SANDBOX_WEBPUSH_SUBSCRIPTION.id;
// Debian's Chromium, as the audit board's browser test uses it (that test installs it when missing).
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
if (!existsSync(CHROMIUM))
  console.warn(`SKIPPING the Web Push demo page test: ${CHROMIUM} is missing (apt-get install chromium)`);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { PUSHWIRE_RETRY_BASE_MS: '20', PUSHWIRE_SYNC_WAIT_MS: '4000' } });
});
afterAll(async () => {
  await stack?.close();
});

function tokenFor(id: string, endpoint?: string): string {
  const sub = stack.sandbox.webpush.subscription(id);
  return JSON.stringify({ endpoint: endpoint ?? sub.endpoint, keys: sub.keys });
}

function call(event: string, token: string, callId: string, extra: Record<string, unknown> = {}) {
  return {
    'app-id': SYLK,
    platform: 'web',
    token,
    event,
    'call-id': callId,
    from: 'alice@example.com',
    'from-display-name': 'Alice',
    to: 'bob@example.com',
    'media-type': event === 'cancel' ? undefined : 'audio',
    silent: true,
    ...extra,
  };
}

describe('v1 /push to a browser', () => {
  it('a call wake-up arrives encrypted, VAPID-signed, urgent, with the call deadline as TTL and a per-call Topic', async () => {
    const res = await stack.post('/push', call('incoming_session', tokenFor(SUB_ID), 'web-call-0'));
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      code: 200,
      description: 'push notification response',
      data: { code: 200, platform: 'webpush', call_id: 'web-call-0' },
    });
    const got = stack.sandbox.webpush.received(SUB_ID).at(-1)!;
    expect(got.json).toEqual({
      event: 'incoming_session',
      'call-id': 'web-call-0',
      'session-id': expect.any(String),
      'media-type': 'audio',
      from_uri: 'alice@example.com',
      from_display_name: 'Alice',
      to_uri: 'bob@example.com',
    });
    expect(got.urgency).toBe('high');
    expect(got.ttl).toBeGreaterThan(0);
    expect(got.ttl).toBeLessThanOrEqual(60);
    expect(got.topic).toBe(webPushTopic(SYLK, 'web-call-0'));
    expect(got.vapid).toMatchObject({ aud: stack.sandbox.webpush.origin, sub: 'mailto:sandbox@pushwire.invalid' });
  });

  it("a cancel carries the call's Topic, so it replaces the wake-up still pending at the push service", async () => {
    const token = tokenFor(stack.sandbox.webpush.subscribe().id);
    const id = JSON.parse(token).endpoint.split('/').at(-1) as string;
    expect((await stack.post('/push', call('incoming_session', token, 'web-call-2'))).status).toBe(200);
    expect((await stack.post('/push', call('cancel', token, 'web-call-2', { reason: 'hangup' }))).status).toBe(200);
    expect(stack.sandbox.webpush.received(id).map((r) => (r.json as { event: string }).event)).toEqual([
      'incoming_session',
      'cancel',
    ]);
    expect(stack.sandbox.webpush.pending(id).map((r) => r.json)).toEqual([
      { event: 'cancel', 'call-id': 'web-call-2', 'session-id': expect.any(String), reason: 'hangup' },
    ]);
  });

  it('a message is normal urgency, kept a day, with no Topic', async () => {
    const res = await stack.post(
      '/push',
      call('message', tokenFor(SUB_ID), 'web-msg-1', {
        'media-type': 'sms',
        content: 'hi',
        'content-type': 'text/plain',
      }),
    );
    expect(res.status, res.text).toBe(200);
    const got = stack.sandbox.webpush.received(SUB_ID).at(-1)!;
    expect(got).toMatchObject({
      urgency: 'normal',
      ttl: 86400,
      topic: null,
      json: { event: 'message', message_id: 'web-msg-1', content: 'hi' },
    });
  });

  it('410 from the push service → 410 to the caller and a dead-token event', async () => {
    const token = tokenFor(SUB_ID, `${stack.sandbox.webpush.origin}/wpush/v2/status-410-gone`);
    const res = await stack.post('/push', call('incoming_session', token, 'web-dead-1'));
    expect(res.status, res.text).toBe(410);
    expect(res.json).toMatchObject({ data: { code: 410, reason: expect.stringMatching(/^410 Gone/) } });
    const redis = new Redis(stack.redis.url);
    try {
      const events = await redis.xrange('pushwire:events', '-', '+');
      expect(events.some(([, fields]) => fields.includes('web-dead-1'))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it('404 from the push service is a dead subscription too', async () => {
    const token = tokenFor(SUB_ID, `${stack.sandbox.webpush.origin}/wpush/v2/never-issued`);
    expect((await stack.post('/push', call('incoming_session', token, 'web-dead-2'))).status).toBe(410);
  });

  it('413 → rejected at once (one request), 400 likewise', async () => {
    const { id } = stack.sandbox.webpush.subscribe();
    stack.sandbox.webpush.failSubscription(id, { status: 413, times: 1 });
    const res = await stack.post('/push', call('incoming_session', tokenFor(id), 'web-413'));
    expect(res.status, res.text).toBe(413);
    expect(stack.sandbox.webpush.requests.filter((r) => r.id === id)).toHaveLength(1);
    stack.sandbox.webpush.failSubscription(id, { status: 400, times: 1 });
    expect((await stack.post('/push', call('incoming_session', tokenFor(id), 'web-400'))).status).toBe(400);
    expect(stack.sandbox.webpush.requests.filter((r) => r.id === id)).toHaveLength(2);
  });

  it('429 with Retry-After and 503 are retried, then delivered', async () => {
    const { id } = stack.sandbox.webpush.subscribe();
    stack.sandbox.webpush.failSubscription(id, { status: 429, retryAfterSeconds: 1, times: 1 });
    stack.sandbox.webpush.failSubscription(id, { status: 503, times: 1 });
    const res = await stack.post(
      '/push',
      call('message', tokenFor(id), 'web-retry', { 'media-type': 'sms', content: 'x' }),
    );
    expect(res.status, res.text).toBe(200);
    const seen = stack.sandbox.webpush.requests.filter((r) => r.id === id);
    expect(seen.map((r) => r.status)).toEqual([429, 503, 201]);
    // Retry-After: 1 s was honoured before the second attempt.
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it.each([
    ['not JSON', 'not-a-subscription', /as JSON/],
    ['an http endpoint', () => tokenFor(SUB_ID, 'http://127.0.0.1/wpush/v2/x'), /endpoint must be https/],
    [
      'a host off the allow-list',
      () => tokenFor(SUB_ID, 'https://attacker.example/x'),
      /endpoint host attacker\.example is not an allowed push service/,
    ],
    [
      'a metadata address',
      () => tokenFor(SUB_ID, 'https://169.254.169.254/latest/meta-data'),
      /not an allowed push service/,
    ],
    [
      'bad base64url in p256dh',
      () =>
        JSON.stringify({
          endpoint: stack.sandbox.webpush.subscription(SUB_ID).endpoint,
          keys: { p256dh: 'a+b/c', auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
        }),
      /keys\.p256dh is not base64url/,
    ],
    [
      'a short p256dh',
      () =>
        JSON.stringify({
          endpoint: stack.sandbox.webpush.subscription(SUB_ID).endpoint,
          keys: { p256dh: 'BAAA', auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
        }),
      /keys\.p256dh must be an uncompressed P-256 public key \(65 bytes\), got 3 bytes/,
    ],
    [
      'a short auth',
      () =>
        JSON.stringify({
          ...JSON.parse(tokenFor(SUB_ID)),
          keys: { p256dh: SANDBOX_WEBPUSH_SUBSCRIPTION.p256dh, auth: 'AAAA' },
        }),
      /keys\.auth must be 16 bytes, got 3/,
    ],
  ])("%s → 400 in Sylk's envelope, nothing sent", async (_name, token, message) => {
    const before = stack.sandbox.webpush.requests.length;
    const res = await stack.post(
      '/push',
      call('incoming_session', typeof token === 'function' ? token() : token, 'web-bad'),
    );
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ code: 400, description: expect.stringMatching(message), data: '' });
    expect((res.json as { description: string }).description).toMatch(/: token$/);
    expect(stack.sandbox.webpush.requests.length).toBe(before);
  });
});

describe("the README's Web Push example", () => {
  it('posts the push the sandbox wrote, and it arrives decrypted at the sandbox subscription', async () => {
    const readme = documentationText();
    const file =
      /curl -s localhost:8400\/push -H 'content-type: application\/json' -d @\.pushwire\/sandbox\/(\S+)/.exec(
        readme,
      )?.[1];
    expect(file).toBe('webpush-call.json');
    const before = stack.sandbox.webpush.received(SUB_ID).length;
    const res = await stack.post('/push', readFileSync(join(stack.configDir, file!), 'utf8'));
    expect(res.status, res.text).toBe(200);
    expect(
      stack.sandbox.webpush
        .received(SUB_ID)
        .slice(before)
        .map((r) => r.json),
    ).toEqual([expect.objectContaining({ event: 'incoming_session', 'call-id': 'web-call-1' })]);
  });
});

describe('v2: a browser registered on an account', () => {
  it('registers with platform "web", is pushed to, and is removed once its subscription is gone', async () => {
    const { id } = stack.sandbox.webpush.subscribe();
    const add = await stack.post('/v2/tokens/webby@example.com', {
      'app-id': SYLK,
      platform: 'web',
      'device-id': 'browser-1',
      token: tokenFor(id),
    });
    expect(add.status, add.text).toBe(200);
    expect(add.json).toMatchObject({ platform: 'webpush', 'device-id': 'browser-1' });

    const push = await stack.post('/v2/tokens/webby@example.com/push', {
      event: 'incoming_session',
      'call-id': 'web-v2-1',
      from: 'alice@example.com',
      to: 'webby@example.com',
      'media-type': 'video',
    });
    expect(push.status, push.text).toBe(200);
    expect(stack.sandbox.webpush.received(id).map((r) => (r.json as Record<string, unknown>)['call-id'])).toEqual([
      'web-v2-1',
    ]);

    stack.sandbox.webpush.unsubscribe(id);
    const dead = await stack.post('/v2/tokens/webby@example.com/push', {
      event: 'incoming_session',
      'call-id': 'web-v2-2',
      from: 'alice@example.com',
      to: 'webby@example.com',
      'media-type': 'video',
    });
    // Sylk reports a dead last device as 200 and removes it: the account is gone with its only device.
    expect(dead.status, dead.text).toBe(200);
    expect(dead.json).toMatchObject({ data: [{ code: 410, platform: 'webpush' }] });
    const after = await stack.post('/v2/tokens/webby@example.com/push', {
      event: 'cancel',
      'call-id': 'web-v2-2',
      from: 'alice@example.com',
      to: 'webby@example.com',
    });
    expect(after.status, after.text).toBe(404);
  });

  it('a stored subscription off the allow-list (written behind the API) is refused by the worker, alone', async () => {
    const good = stack.sandbox.webpush.subscribe();
    expect(
      (
        await stack.post('/v2/tokens/mixed@example.com', {
          'app-id': SYLK,
          platform: 'web',
          'device-id': 'good',
          token: tokenFor(good.id),
        })
      ).status,
    ).toBe(200);
    const offList = JSON.stringify({ endpoint: 'https://attacker.example/x', keys: good.keys });
    const cli = spawnPushwire(
      [
        'tokens',
        'add',
        'mixed@example.com',
        '--app-id',
        SYLK,
        '--platform',
        'web',
        '--device-id',
        'stale',
        '--token',
        offList,
        '--config_dir',
        stack.configDir,
      ],
      { REDIS_URL: stack.redis.url },
    );
    expect(await cli.exited, cli.output()).toBe(0);
    const before = stack.sandbox.webpush.requests.length;
    const push = await stack.post('/v2/tokens/mixed@example.com/push', {
      event: 'incoming_session',
      'call-id': 'web-v2-mixed',
      from: 'alice@example.com',
      to: 'mixed@example.com',
      'media-type': 'audio',
    });
    expect(push.json, push.text).toMatchObject({
      description: 'push notification responses',
      data: expect.arrayContaining([
        expect.objectContaining({ code: 200, platform: 'webpush', call_id: 'web-v2-mixed' }),
        expect.objectContaining({
          code: 400,
          reason: expect.stringMatching(/endpoint host attacker\.example is not an allowed push service/),
        }),
      ]),
    });
    // Only the good subscription was sent to; nothing left for attacker.example.
    expect(stack.sandbox.webpush.requests.slice(before).map((r) => r.id)).toEqual([good.id]);
  });

  it('refuses a malformed subscription at registration with a 400', async () => {
    const res = await stack.post('/v2/tokens/webby@example.com', {
      'app-id': SYLK,
      platform: 'web',
      'device-id': 'browser-2',
      token: tokenFor(SUB_ID, 'https://10.0.0.1/x'),
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({
      code: 400,
      description: expect.stringMatching(/endpoint host 10\.0\.0\.1 is not an allowed push service.*: token$/),
      data: '',
    });
  });
});

describe.skipIf(!existsSync(CHROMIUM))('the sandbox demo page in Chromium', () => {
  it('subscribes, then shows the decrypted payload of a push sent to that subscription through Pushwire', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      // The emulator's certificate comes from the sandbox CA, which this browser does not know.
      const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
      await page.goto(stack.sandbox.webpush.demoUrl);
      await page.click('#subscribe');
      const subscription = page.locator('#subscription');
      await subscription.filter({ hasText: '"endpoint"' }).waitFor();
      const token = (await subscription.textContent())!;
      expect(JSON.parse(token)).toMatchObject({
        endpoint: expect.stringContaining(`${stack.sandbox.webpush.origin}/wpush/v2/`),
        keys: { p256dh: expect.any(String), auth: expect.any(String) },
      });

      const res = await stack.post('/push', call('incoming_session', token, 'web-demo-1'));
      expect(res.status, res.text).toBe(200);
      const shown = page.locator('li.message').filter({ hasText: '"call-id":"web-demo-1"' });
      await shown.waitFor();
      expect(await shown.textContent()).toMatch(
        /^urgency high, TTL \d+, topic [\w-]{32}: \{"event":"incoming_session"/,
      );
      const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: `${artifacts}webpush-demo.png`, fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
