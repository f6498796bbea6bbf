// Caller identifiers are inert: a call-id, device id or account holding a control character is refused with a
// clear 400 in Sylk's envelope before anything is stored or queued (they name Redis keys, log lines, terminal text).
import type { PushJobData } from '@pushwire/queue';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestIngest } from '../test-support/ingest-app.js';

const queued: PushJobData[] = [];
const ingest = await createTestIngest({ producer: { enqueue: async (_id, data) => void queued.push(data) } });
afterAll(() => ingest.close());

async function req(method: string, path: string, body: unknown) {
  const r = await ingest.app.request(path, { method, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as unknown };
}

const v1 = {
  'app-id': 'com.example.sylk',
  platform: 'firebase',
  token: 'fcm-1',
  event: 'message',
  'call-id': 'c1',
  from: 'a@x',
  to: 'b@x',
  'media-type': 'sms',
  silent: true,
};
const add = { 'app-id': 'com.example.sylk', platform: 'firebase', token: 'fcm-1', 'device-id': 'd1' };
const push = { event: 'message', 'call-id': 'c1', from: 'a@x', to: 'b@x', 'media-type': 'sms' };
const refused = (field: string) => ({
  status: 400,
  json: { code: 400, description: `control characters are not allowed: ${field}`, data: '' },
});
// ESC (a terminal escape), NUL, DEL and a C1 control (NEL).
const CONTROLS = ['\u001b[2J', '\u0000', '\u007f', '\u0085'];

describe('control characters in caller identifiers', () => {
  it('refuses them in a v1 call-id and device-id', async () => {
    for (const c of CONTROLS) {
      expect(await req('POST', '/push', { ...v1, 'call-id': `call${c}1` })).toEqual(refused('call-id'));
      expect(await req('POST', '/push', { ...v1, 'device-id': `dev${c}` })).toEqual(refused('device-id'));
    }
    expect(queued).toEqual([]);
  });

  it('refuses them in a v2 account, device id and call-id, storing and queueing nothing', async () => {
    expect((await req('POST', '/v2/tokens/bob@example.com', add)).status).toBe(200);
    for (const c of CONTROLS) {
      const account = encodeURIComponent(`bob${c}@example.com`);
      expect(await req('POST', `/v2/tokens/${account}`, add)).toEqual(refused('account'));
      expect(await req('POST', `/v2/tokens/${account}/push`, push)).toEqual(refused('account'));
      expect(await req('DELETE', `/v2/tokens/${account}`, { 'app-id': 'com.example.sylk', 'device-id': 'd1' })).toEqual(
        refused('account'),
      );
      expect(await req('POST', '/v2/tokens/bob@example.com', { ...add, 'device-id': `d${c}2` })).toEqual(
        refused('device-id'),
      );
      expect(
        await req('DELETE', '/v2/tokens/bob@example.com', { 'app-id': 'com.example.sylk', 'device-id': `d1${c}` }),
      ).toEqual(refused('device-id'));
      expect(await req('POST', '/v2/tokens/bob@example.com/push', { ...push, 'call-id': `c${c}` })).toEqual(
        refused('call-id'),
      );
      expect(await req('POST', `/v2/tokens/bob@example.com/push/${encodeURIComponent(`d1${c}`)}`, push)).toEqual(
        refused('device-id'),
      );
    }
    expect(queued).toEqual([]);
    expect(await ingest.redis.hkeys(`${ingest.prefix}:tokens:bob@example.com`)).toEqual(['com.example.sylk-d1']);
    // Printable text, unicode included, still passes.
    expect(
      (await req('POST', '/push', { ...v1, 'call-id': 'çall:1@hôst/ü', 'device-id': 'urn:uuid:1f3c' })).status,
    ).toBe(202);
  });
});
