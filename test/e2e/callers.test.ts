// Callers over real HTTP, on the `pushwire ingest` process: Sylk's behaviour without keys (X-Forwarded-For
// believed from 127.0.0.1, as Sylk's uvicorn), then keys added to general.ini and hot-reloaded: 401 without
// one, 403 outside its apps, 429 with Retry-After over its rate, delivered pushes within them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashCallerKey } from '@pushwire/core';
import { startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const LINPHONE = 'com.pushwire.sandbox.linphone.dev';
const KEY = 'pw_e2e-caller-key-0123456789abcdefghijklmnopqrstuv';

let stack: Stack;
let original: string;
beforeAll(async () => {
  // 192.0.2.0/24 (TEST-NET-1) is where the "clients" are; the test itself connects from 127.0.0.1.
  stack = await startStack({ server: { allowed_hosts: '192.0.2.0/24' } });
  original = readFileSync(join(stack.configDir, 'general.ini'), 'utf8');
});
afterAll(async () => {
  await stack?.close();
});

let n = 0;
const nextCallId = () => {
  n += 1;
  return `callers-${n}`;
};
const call = (appId: string) => ({
  'app-id': appId,
  platform: 'apple',
  token: '7'.repeat(64),
  event: 'incoming_session',
  'call-id': nextCallId(),
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
});
const headers = (extra: Record<string, string>) => ({ headers: { 'content-type': 'application/json', ...extra } });

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the reload did not take effect in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('callers over HTTP', () => {
  it('without keys behaves as Sylk: allowed_hosts on the address a local proxy forwards, Authorization ignored', async () => {
    expect((await stack.post('/push', call(SYLK))).status).toBe(403);
    const viaProxy = await stack.post(
      '/push',
      call(SYLK),
      headers({ 'x-forwarded-for': '192.0.2.7', authorization: 'Bearer whatever' }),
    );
    expect([viaProxy.status, (viaProxy.json as { data: { code: number } }).data.code]).toEqual([200, 200]);
    expect((await stack.post('/push', call(SYLK), headers({ 'x-forwarded-for': '198.51.100.7' }))).status).toBe(403);
  });

  it('with keys reloaded from general.ini: 401, 403 out of scope, 200 in scope, 429 with Retry-After over the rate', async () => {
    writeFileSync(
      join(stack.configDir, 'general.ini'),
      `${original}
[callers]
require_key = yes

[caller:sylkserver]
key_sha256 = ${hashCallerKey(KEY)}
apps = ${SYLK}
rate = 0.05
burst = 3
`,
    );
    const fromClient = { 'x-forwarded-for': '192.0.2.7' };
    await eventually(async () => (await stack.post('/push', call(SYLK), headers(fromClient))).status === 401);
    const missing = await fetch(`${stack.url}/push`, {
      method: 'POST',
      ...headers(fromClient),
      body: JSON.stringify(call(SYLK)),
    });
    expect([missing.status, missing.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="pushwire"']);
    const wrong = await stack.post('/push', call(SYLK), headers({ ...fromClient, authorization: 'Bearer pw_wrong' }));
    expect(wrong).toMatchObject({ status: 401, json: { code: 401, description: 'invalid API key', data: {} } });

    const withKey = { ...fromClient, authorization: `Bearer ${KEY}` };
    // One request per 20 s after a burst of 3: out of scope (403, still counted), delivered (200), refused host (403).
    expect(await stack.post('/push', call(LINPHONE), headers(withKey))).toMatchObject({
      status: 403,
      json: { code: 403, description: 'access denied by access list', data: {} },
    });
    const delivered = await stack.post('/push', call(SYLK), headers(withKey));
    expect([delivered.status, (delivered.json as { data: { code: number } }).data.code]).toEqual([200, 200]);
    expect((await stack.post('/push', call(SYLK), headers({ authorization: `Bearer ${KEY}` }))).status).toBe(403);

    const limited = await fetch(`${stack.url}/push`, {
      method: 'POST',
      ...headers(withKey),
      body: JSON.stringify(call(SYLK)),
    });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(limited.status).toBe(429);
    expect(retryAfter >= 1 && retryAfter <= 20).toBe(true);
    expect(await limited.json()).toEqual({
      code: 429,
      description: `rate limit of this API key exceeded: retry after ${retryAfter} s`,
      data: { retry_after: retryAfter },
    });

    // Log lines are written in batches (at most ~100 ms late): wait for the line, then look at everything.
    await stack.ingest.waitFor('"caller":"sylkserver"', 5_000);
    const logs = stack.ingest.output();
    expect(logs).not.toContain(KEY);
    expect(logs).not.toContain(hashCallerKey(KEY));
  });

  it('refuses a bad key section on reload and keeps serving the keys it had', async () => {
    const general = join(stack.configDir, 'general.ini');
    writeFileSync(general, readFileSync(general, 'utf8').replace(/key_sha256 = [0-9a-f]+/, 'key_sha256 = not-a-hash'));
    await stack.ingest.waitFor('Settings can not be updated');
    expect(stack.ingest.output()).toContain('[caller:sylkserver] key_sha256');
    expect((await stack.post('/push', call(SYLK), headers({ 'x-forwarded-for': '192.0.2.7' }))).status).toBe(401);
  });
});
