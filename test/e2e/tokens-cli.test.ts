// `pushwire tokens ...` (the sylk-pushserver-db equivalent) and the migration from Sylk's pickle file:
// imported devices are pushable through the v2 API.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnPushwire, startStack, type Stack } from '../harness/index.js';

const PICKLE = fileURLToPath(new URL('../fixtures/sandbox-webrtc_device_tokens', import.meta.url));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function tokens(...args: string[]): Promise<{ code: number | null; output: string }> {
  const proc = spawnPushwire(['tokens', ...args, '--config_dir', stack.sandbox.configDir], {
    REDIS_URL: stack.redis.url,
  });
  const code = await new Promise<number | null>((resolve) => proc.process.once('exit', resolve));
  return { code, output: proc.output() };
}

describe('pushwire tokens', () => {
  it('imports Sylk’s pickle file; the imported devices receive a v2 push', async () => {
    const imported = await tokens('import', PICKLE);
    expect(imported.code, imported.output).toBe(0);
    expect(imported.output).toContain('imported 2 device(s) into redis storage');

    const res = await stack.post('/v2/tokens/carol@example.com/push', {
      event: 'message',
      'call-id': 'migrated-1',
      from: 'alice@example.com',
      to: 'carol@example.com',
      'media-type': 'sms',
      content: 'hi',
    });
    expect(res.status).toBe(200);
    expect(
      (res.json as { data: Array<{ token: string; code: number }> }).data.map((d) => [d.token, d.code]).sort(),
    ).toEqual([
      ['e'.repeat(64), 200], // a message goes to the Apple background token
      ['fcm-carol-1', 200],
    ]);
  });

  it('lists, adds and removes devices', async () => {
    const added = await tokens(
      'add',
      'dan@example.com',
      '--app-id',
      'com.pushwire.sandbox.sylk.dev',
      '--platform',
      'ios',
      '--token',
      `${'d'.repeat(64)}-${'f'.repeat(64)}`,
      '--device-id',
      'urn:uuid:dan-1',
    );
    expect(added.code, added.output).toBe(0);
    const accounts = await tokens('list');
    expect(accounts.output.split('\n')).toEqual(expect.arrayContaining(['carol@example.com', 'dan@example.com']));
    const devices = await tokens('list', 'dan@example.com');
    expect(JSON.parse(devices.output.trim())).toMatchObject({
      deviceId: 'dan-1',
      token: 'd'.repeat(64),
      backgroundToken: 'f'.repeat(64),
      platform: 'apple',
    });
    expect(
      (
        await tokens('remove', 'dan@example.com', '--app-id', 'com.pushwire.sandbox.sylk.dev', '--device-id', 'dan-1')
      ).output.trim(),
    ).toBe('removed');
    // Nothing on stdout; stderr says where it looked, so the wrong Redis or prefix is never mistaken for "none".
    expect((await tokens('list', 'dan@example.com')).output.trim()).toMatch(
      /^no device found in Redis at redis:\/\/127\.0\.0\.1:\d+, key prefix pushwire$/,
    );
  });
});
