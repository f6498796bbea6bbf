// Sylk's hot reload: editing applications.ini or general.ini takes effect without a restart; an invalid
// edit is refused and the previous configuration keeps serving (Sylk fell back to "allow all").
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const NEW_APP = 'com.pushwire.sandbox.reloaded.dev';
const call = (appId: string, callId: string) => ({
  'app-id': appId,
  platform: 'apple',
  token: '7'.repeat(64),
  event: 'incoming_session',
  'call-id': callId,
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the reload did not take effect in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('configuration reload', () => {
  it('serves an app added to applications.ini, delivered by the reloaded worker', async () => {
    expect((await stack.post('/push', call(NEW_APP, 'before'))).status).toBe(404);
    const apps = join(stack.sandbox.configDir, 'applications.ini');
    const appleSection = readFileSync(apps, 'utf8')
      .split(/\n(?=\[)/)
      .find((s) => s.startsWith('[sylk-apple]'))!;
    appendFileSync(
      apps,
      `\n${appleSection.replace('[sylk-apple]', '[reloaded-apple]').replace(/app_id = .*/, `app_id = ${NEW_APP}`)}\n`,
    );
    let n = 0;
    await eventually(async () => {
      n += 1;
      return (await stack.post('/push', call(NEW_APP, `after-${n}`))).status === 200;
    });
    const received = stack.sandbox.apns.requests.filter(
      (r) => r.headers['apns-topic'] === 'com.pushwire.sandbox.reloaded.voip',
    );
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received.every((r) => r.status === 200)).toBe(true);
  });

  it('refuses an invalid general.ini and keeps serving the previous configuration', async () => {
    const general = join(stack.sandbox.configDir, 'general.ini');
    const original = readFileSync(general, 'utf8');
    writeFileSync(general, original.replace('[server]', '[server]\nallowed_hosts = 10.0.0.1/8'));
    await stack.ingest.waitFor('Settings can not be updated');
    expect((await stack.post('/push', call('com.pushwire.sandbox.sylk.dev', 'still-open'))).status).toBe(200);

    writeFileSync(general, original.replace('[server]', '[server]\nallowed_hosts = 10.0.0.0/8'));
    await eventually(
      async () =>
        (await stack.post('/push', call('com.pushwire.sandbox.sylk.dev', `closed-${Date.now()}`))).status === 403,
    );
    writeFileSync(general, original);
    await eventually(
      async () =>
        (await stack.post('/push', call('com.pushwire.sandbox.sylk.dev', `open-${Date.now()}`))).status === 200,
    );
  });
});
