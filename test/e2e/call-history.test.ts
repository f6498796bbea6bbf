// End to end: GET /v1/calls/{call-id} and `pushwire calls show` over a real stack (ingest and worker processes,
// strict emulators): the auth matrix (no login configured → off; wrong → 401; right → 200), and a call's every
// push (v1 and v2, Apple and Firebase) with its attempts, policy outcomes, results and board links.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallHistorySchema } from '../../services/ingest/src/routes/calls-schema.js';
import { spawnPushwire, startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const USER = 'auditor';
const PASSWORD = 'call-history e2e password';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const hexToken = (n: number) => `e${n.toString(16).padStart(63, '0')}`;

interface Push {
  job_id: string;
  queue: string;
  board: string;
  api: string;
  app_id: string;
  platform: string;
  event: string;
  account: string | null;
  status: string;
  request: Record<string, unknown>;
  attempts: { attempt: number; code: number; sent: boolean; outcome: string }[];
  policy: { outcome: string; code: number }[];
  result: { outcome: string; code: number } | null;
}

let stack: Stack;
beforeAll(async () => {
  // No [admin] login at start: the audit endpoints must be off. The test adds one later (hot reload).
  stack = await startStack({
    env: { PUSHWIRE_RETRY_BASE_MS: '50', PUSHWIRE_ADMIN_USER: '', PUSHWIRE_ADMIN_PASSWORD: '' },
  });
});
afterAll(async () => {
  await stack?.close();
});

async function get(path: string, authorization?: string): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(`${stack.url}${path}`, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const calls = (callId: string, auth = basic(USER, PASSWORD)) => get(`/v1/calls/${encodeURIComponent(callId)}`, auth);
/** The history once every push of the call has a result (the worker writes it after answering the caller). */
async function settledHistory(callId: string, pushes: number): Promise<Push[]> {
  let last: Push[] = [];
  await eventually(async () => {
    const res = await calls(callId);
    last = res.status === 200 ? (res.json as { pushes: Push[] }).pushes : [];
    return last.length === pushes && last.every((p) => p.result !== null);
  }, `history of ${callId}`);
  return last;
}

describe('call history', () => {
  it('is off while no [admin] login is configured: /admin and /v1/calls answer 404, with or without a login', async () => {
    expect(
      (
        await stack.post('/push', {
          'app-id': SYLK,
          platform: 'apple',
          token: hexToken(1),
          event: 'cancel',
          'call-id': 'off-1',
          from: 'a@x',
          to: 'b@x',
          silent: true,
        })
      ).status,
    ).toBe(200);
    for (const path of ['/admin', '/admin/api/queues', '/v1/calls/off-1']) {
      expect((await get(path)).status, path).toBe(404);
      expect((await get(path, basic(USER, PASSWORD))).status, path).toBe(404);
    }
  });

  it('turns on when general.ini gets an [admin] login (hot reload): wrong login 401, right login 200', async () => {
    appendFileSync(join(stack.configDir, 'general.ini'), `\n[admin]\nusername = ${USER}\npassword = ${PASSWORD}\n`);
    await eventually(async () => (await get('/v1/calls/off-1')).status === 401, 'the reloaded login');
    const refused = await get('/v1/calls/off-1', basic(USER, 'wrong'));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await get('/admin', basic('intruder', PASSWORD))).status).toBe(401);
    // Pushes made while the board was off were recorded all the same.
    const off = await calls('off-1');
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ call_id: 'off-1', pushes: [{ event: 'cancel', status: 'delivered' }] });
    expect((await get('/admin', basic(USER, PASSWORD))).status).toBe(200);
  });

  it('shows every push of a call: v1 retried twice then delivered, and a v2 fan-out, with board links', async () => {
    const callId = 'multi:1@example.com/x';
    const token = hexToken(2);
    stack.sandbox.apns.failToken(token, { status: 500, reason: 'InternalServerError', times: 2 });
    const v1 = await stack.post('/push', {
      'app-id': SYLK,
      platform: 'apple',
      token,
      event: 'message',
      'call-id': callId,
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'sms',
      silent: true,
      content: 'hello there',
    });
    expect(v1.status).toBe(200);
    expect(
      (
        await stack.post('/v2/tokens/hist@example.com', {
          'app-id': SYLK,
          platform: 'android',
          token: 'fcm-hist-1',
          'device-id': 'hist-phone',
        })
      ).status,
    ).toBe(200);
    const v2 = await stack.post('/v2/tokens/hist@example.com/push', {
      event: 'message',
      'call-id': callId,
      from: 'alice@example.com',
      to: 'hist@example.com',
      'media-type': 'sms',
      content: 'hello there',
    });
    expect(v2.status).toBe(200);

    const pushes = await settledHistory(callId, 2);
    const res = await calls(callId);
    expect(CallHistorySchema.safeParse(res.json).error).toBeUndefined();
    const apple = pushes.find((p) => p.api === 'v1')!;
    expect(apple).toMatchObject({
      app_id: SYLK,
      platform: 'apple',
      event: 'message',
      status: 'delivered',
      request: { token, 'call-id': callId, content: 'hello there' },
    });
    expect(apple.attempts.map((a) => [a.attempt, a.code, a.outcome])).toEqual([
      [1, 500, 'retryable'],
      [2, 500, 'retryable'],
      [3, 200, 'delivered'],
    ]);
    expect(apple.result).toMatchObject({ outcome: 'delivered', code: 200 });
    expect(apple.board).toBe(`/admin/queue/${encodeURIComponent(apple.queue)}/${apple.job_id}`);
    // What the emulator saw matches the history.
    expect(stack.sandbox.apns.requests.filter((r) => r.token === token).map((r) => r.status)).toEqual([500, 500, 200]);

    const firebase = pushes.find((p) => p.api === 'v2')!;
    expect(firebase).toMatchObject({
      platform: 'firebase',
      account: 'hist@example.com',
      status: 'delivered',
      attempts: [{ attempt: 1, code: 200 }],
    });
    // The board serves each linked job (the browser test follows one and looks at the page).
    const job = await get(
      `/admin/api/queues/${encodeURIComponent(apple.queue)}/${apple.job_id}`,
      basic(USER, PASSWORD),
    );
    expect(job.status).toBe(200);
    expect(job.json).toMatchObject({ job: { id: apple.job_id, name: callId, attempts: 3 }, status: 'completed' });
  });

  it('shows a policy outcome: a wake-up superseded by the call’s cancel', async () => {
    const callId = 'superseded-1';
    const voip = hexToken(3);
    stack.sandbox.apns.failToken(voip, { status: 500, reason: 'InternalServerError' });
    const invite = stack.post('/push', {
      'app-id': SYLK,
      platform: 'apple',
      token: voip,
      event: 'incoming_session',
      'call-id': callId,
      from: 'a@x',
      to: 'b@x',
      'media-type': 'audio',
      silent: true,
    });
    await eventually(
      async () => stack.sandbox.apns.requests.filter((r) => r.token === voip).length >= 2,
      'the invite retrying',
    );
    expect(
      (
        await stack.post('/push', {
          'app-id': SYLK,
          platform: 'apple',
          token: hexToken(4),
          event: 'cancel',
          'call-id': callId,
          from: 'a@x',
          to: 'b@x',
          silent: true,
        })
      ).status,
    ).toBe(200);
    expect((await invite).status).toBe(409);

    const pushes = await settledHistory(callId, 2);
    const wake = pushes.find((p) => p.event === 'incoming_session')!;
    expect(wake.status).toBe('superseded');
    expect(wake.attempts.length).toBeGreaterThanOrEqual(2);
    expect(wake.attempts.every((a) => a.code === 500 && a.sent)).toBe(true);
    expect(wake.policy).toEqual([expect.objectContaining({ outcome: 'superseded', code: 409 })]);
    expect(pushes.find((p) => p.event === 'cancel')).toMatchObject({ status: 'delivered' });
  });

  it('`pushwire calls show` prints the timeline from Redis, and --json the API’s answer', async () => {
    const callId = 'multi:1@example.com/x';
    const run = async (...args: string[]) => {
      // Its own PUSHWIRE_HOME: a sandbox run from the checkout would lend the command its key prefix.
      const proc = spawnPushwire(['calls', 'show', ...args], {
        REDIS_URL: stack.redis.url,
        PUSHWIRE_HOME: stack.env.PUSHWIRE_HOME,
      });
      return { code: await proc.exited, output: proc.output() };
    };
    const shown = await run(callId);
    expect(shown.code, shown.output).toBe(0);
    expect(shown.output).toContain(`call "${callId}": 2 pushes`);
    expect(shown.output).toMatch(/attempt 1: 500 InternalServerError[^\n]* \(retryable\)/);
    expect(shown.output).toMatch(/attempt 3: 200 \(delivered\)/);
    expect(shown.output).toContain('board: /admin/queue/');

    const json = await run(callId, '--json');
    expect(json.code, json.output).toBe(0);
    expect(JSON.parse(json.output)).toEqual((await calls(callId)).json);

    const missing = await run('no-such-call');
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('no pushes recorded');
  });
});
