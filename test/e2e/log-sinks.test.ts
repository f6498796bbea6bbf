// Remote HTTP log sinks end to end: every push service result reaches the app's sinks in Sylk's shape,
// without credentials; a sink that is down delays nothing and gets every record once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLogSink, type LogSink } from '@pushwire/sandbox-emulators';
import { startStack, type Stack } from '../harness/index.js';

let sink: LogSink;
let stack: Stack;
beforeAll(async () => {
  sink = await startLogSink({});
  const extras = { log_remote_urls: sink.url, log_remote_timeout: '1' };
  stack = await startStack({
    appExtras: { 'sylk-apple': extras, 'sylk-firebase': extras },
    env: { PUSHWIRE_RETRY_BASE_MS: '20' },
  });
});
afterAll(async () => {
  await stack?.close();
  await sink?.close();
});

const body = (platform: string, token: string, callId: string) => ({
  'app-id': 'com.pushwire.sandbox.sylk.dev',
  platform,
  token,
  event: 'message',
  'call-id': callId,
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'sms',
  silent: true,
  content: 'hi',
});

describe('remote log sinks', () => {
  it('receive Sylk’s record for an APNs push, with no Authorization header or JWT', async () => {
    const token = '1'.repeat(64);
    expect((await stack.post('/push', body('apple', token, 'sink-1'))).status).toBe(200);
    await sink.waitFor(1, 15_000);
    const record = sink.records.find((r) => JSON.stringify(r).includes('sink-1')) as {
      request: { outgoing_body: string };
      timestamp: string;
    };
    expect(record).toMatchObject({
      request: {
        incoming_body: {
          app_id: 'com.pushwire.sandbox.sylk.dev',
          platform: 'apple',
          event: 'message',
          token,
          call_id: 'sink-1',
          sip_from: 'alice@example.com',
          sip_to: 'bob@example.com',
        },
        outgoing_headers: { 'apns-push-type': 'alert', 'apns-topic': 'com.pushwire.sandbox.sylk' },
      },
      response: {
        code: 200,
        description: '',
        push_url: `https://127.0.0.1:${stack.sandbox.apns.port}/3/device/${token}`,
      },
    });
    expect(typeof record.request.outgoing_body).toBe('string');
    expect(JSON.parse(record.request.outgoing_body)).toMatchObject({
      data: { event: 'message', message_id: 'sink-1' },
    });
    expect(record.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(JSON.stringify(sink.records)).not.toMatch(/bearer|eyJ[A-Za-z0-9_-]{10,}|BEGIN PRIVATE KEY/i);
  });

  it('a sink that is down delays no delivery and receives every record when it recovers', async () => {
    sink.down('unavailable');
    const before = sink.records.length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stack.post('/push', body('firebase', `fcm-sink-${i}`, `sink-down-${i}`))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    sink.up();
    await sink.waitFor(before + 10, 30_000);
    const ids = new Set(
      sink.records.map((r) => (r as { request: { incoming_body: { call_id: string } } }).request.incoming_body.call_id),
    );
    for (let i = 0; i < 10; i += 1) expect(ids.has(`sink-down-${i}`)).toBe(true);
  });
});
