// `pushwire push` and `push-v2` request building and answer handling, against a local HTTP server that answers
// what a test tells it (the end-to-end runs against a real stack are in test/e2e/cli-push.test.ts).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushCommand, v1PushBody } from './push.js';
import { pushV2Command, v2Request } from './push-v2.js';

let server: Server;
let base = '';
let next: { status: number; body: string } = { status: 200, body: '{}' };
const received: Array<{ method: string; url: string; body: unknown; authorization?: string; idempotencyKey?: string }> =
  [];

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: JSON.parse(text) as unknown,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(typeof req.headers['idempotency-key'] === 'string'
          ? { idempotencyKey: req.headers['idempotency-key'] }
          : {}),
      });
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function run(command: typeof pushCommand, argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await command(
    argv,
    (l) => out.push(l),
    (l) => out.push(l),
  );
  return { code, out };
}

const V1 = [
  '--platform',
  'ios',
  '--appid',
  'com.x',
  '--deviceid',
  'd1',
  '--callid',
  'c1',
  '--from',
  'alice@x',
  '--to',
  'bob@x',
];

describe('sylk-pushclient body', () => {
  it("splits a voip-background token, strips quotes, maps media types, keeps Sylk's key order and string silent", () => {
    const options = {
      platform: 'ios',
      appid: 'com.x',
      device_token: 'aa-bb',
      device_id: 'd1',
      call_id: 'c1',
      event: 'incoming_session',
      from_uri: '"alice@x"',
      from_name: '""Alice""',
      to_uri: 'bob@x',
      silent: '1',
      media_type: 'audio/video',
    };
    const { body } = v1PushBody(options);
    expect(Object.keys(body)).toEqual([
      'platform',
      'app-id',
      'token',
      'media-type',
      'event',
      'from',
      'from-display-name',
      'to',
      'device-id',
      'call-id',
      'silent',
    ]);
    expect(body).toMatchObject({
      token: 'aa',
      'media-type': 'video',
      from: 'alice@x',
      'from-display-name': 'Alice',
      silent: '1',
    });
    expect(v1PushBody({ ...options, event: 'cancel' }).body.token).toBe('bb');
    // Not exactly two parts: the token as given. An empty display name falls back to the from URI.
    expect(v1PushBody({ ...options, event: 'cancel', device_token: 'a-b-c' }).body.token).toBe('a-b-c');
    expect(v1PushBody({ ...options, event: 'cancel', device_token: 'aa-' }).body.token).toBe('aa');
    expect(v1PushBody({ ...options, from_name: '""', media_type: 'chat' }).body).toMatchObject({
      'from-display-name': 'alice@x',
      'media-type': 'chat',
    });
  });
});

describe('pushwire push', () => {
  it("prints Sylk's 200 line and a purge notice for a legacy NotRegistered answer", async () => {
    next = {
      status: 200,
      body: '{"code":200,"data":{"body":{"_content":{"failure":1,"results":[{"error":"NotRegistered"}]}}}}',
    };
    const res = await run(pushCommand, ['--url', `${base}/push`, '--token', 'tok', ...V1]);
    expect(res).toEqual({
      code: 0,
      out: [`incoming_session push for c1 to ${base}/push response 200 OK: ${next.body}`, 'Token tok must be purged'],
    });
  });

  it('fails on any other status (202 and 410 too), and on an answer it cannot read', async () => {
    for (const status of [202, 410, 500]) {
      next = { status, body: '{"code":1}' };
      expect(await run(pushCommand, ['--url', `${base}/push`, '--token', 't', ...V1])).toEqual({
        code: 1,
        out: [`incoming_session push for c1 to ${base}/push failed: ${status}: {"code":1}`],
      });
    }
    next = { status: 200, body: '{"data": ""}' };
    const res = await run(pushCommand, ['--url', `${base}/push`, '--token', 't', ...V1]);
    expect(res.code).toBe(1);
    expect(res.out[1]).toBe(`incoming_session push for c1 to ${base}/push failed: connection error`);
  });

  it('sends --idempotency-key as the Idempotency-Key header, never in the body; no header without it', async () => {
    next = { status: 200, body: '{"code":200}' };
    received.length = 0;
    expect(
      (await run(pushCommand, ['--url', `${base}/push`, '--token', 't', ...V1, '--idempotency-key', 'k-1'])).code,
    ).toBe(0);
    expect((await run(pushCommand, ['--url', `${base}/push`, '--token', 't', ...V1])).code).toBe(0);
    expect(received.map((r) => r.idempotencyKey)).toEqual(['k-1', undefined]);
    expect(JSON.stringify(received[0]!.body)).not.toContain('k-1');
  });

  it("exits 2 with argparse's message when a required option is missing", async () => {
    const res = await run(pushCommand, ['--url', `${base}/push`]);
    expect(res.code).toBe(2);
    expect(res.out.join('')).toContain(
      'pushwire push: error: the following arguments are required: --platform, --appid, --token, --deviceid, --callid, --from, --to',
    );
  });
});

describe('pushwire push-v2', () => {
  it("builds sylk-pushclient-v2's requests: nulls for unset values, badge 1 or the typed string, one trailing / dropped", () => {
    const top = { url: 'http://h:8400/', account: 'bob@x' };
    expect(
      v2Request('add', top, {
        platform: null,
        appid: 'com.x',
        device_token: 't',
        device_id: 'd',
        silent: '1',
        user_agent: 'None',
      }),
    ).toEqual({
      method: 'POST',
      url: 'http://h:8400/v2/tokens/bob@x',
      body: { platform: null, 'app-id': 'com.x', token: 't', 'device-id': 'd', silent: '1', 'user-agent': 'None' },
    });
    expect(v2Request('remove', top, { appid: 'com.x', device_id: 'd' })).toEqual({
      method: 'DELETE',
      url: 'http://h:8400/v2/tokens/bob@x',
      body: { 'app-id': 'com.x', 'device-id': 'd' },
    });
    const push = {
      media_type: 'audio',
      call_id: 'c',
      event: 'incoming_session',
      from_uri: 'a',
      from_name: null,
      to_uri: 'b',
      reason: null,
      badge: 1,
      device_id: null,
      filename: null,
      filetype: null,
    };
    expect(v2Request('push', top, push)).toEqual({
      method: 'POST',
      url: 'http://h:8400/v2/tokens/bob@x/push',
      body: {
        'media-type': 'audio',
        event: 'incoming_session',
        from: 'a',
        'from-display-name': 'a',
        to: 'b',
        'call-id': 'c',
        badge: 1,
        reason: null,
        filename: null,
        filetype: null,
      },
    });
    expect(v2Request('push', top, { ...push, device_id: 'd1', badge: '3' })).toMatchObject({
      url: 'http://h:8400/v2/tokens/bob@x/push/d1',
      body: { badge: '3' },
    });
  });

  it('prints one line on 2xx and 410 (exit 0), two lines otherwise (exit 1)', async () => {
    const argv = ['--url', base, '--account', 'bob@x', 'remove', '--appid', 'com.x', '--deviceid', 'd1'];
    next = { status: 200, body: '{"app-id":"com.x","device-id":"d1"}' };
    expect(await run(pushV2Command, argv)).toEqual({
      code: 0,
      out: [`Remove request to ${base}/v2/tokens/bob@x - 200: ${next.body}`],
    });
    expect(received.at(-1)).toEqual({
      method: 'DELETE',
      url: '/v2/tokens/bob@x',
      body: { 'app-id': 'com.x', 'device-id': 'd1' },
    });
    next = {
      status: 410,
      body: '{"data":[{"body":{"_content":{"failure":1,"results":[{"error":"NotRegistered"}]}}}]}',
    };
    expect((await run(pushV2Command, argv)).code).toBe(0);
    next = { status: 404, body: '{"result":"Not found"}' };
    expect(await run(pushV2Command, argv)).toEqual({
      code: 1,
      out: [
        `Remove request to ${base}/v2/tokens/bob@x - 404: ${next.body}`,
        `Remove request to ${base}/v2/tokens/bob@x failed: 404: ${next.body}`,
      ],
    });
  });

  it('sends push --idempotency-key as the Idempotency-Key header', async () => {
    next = { status: 200, body: '{"code":200}' };
    received.length = 0;
    const argv = [
      '--url',
      base,
      '--account',
      'bob@x',
      'push',
      '--callid',
      'c1',
      '--from',
      'a@x',
      '--to',
      'bob@x',
      '--idempotency-key',
      'k-2',
    ];
    expect((await run(pushV2Command, argv)).code).toBe(0);
    expect(received).toMatchObject([{ method: 'POST', url: '/v2/tokens/bob@x/push', idempotencyKey: 'k-2' }]);
    expect(JSON.stringify(received[0]!.body)).not.toContain('k-2');
  });

  it("wants --url and --account before the action, as argparse's subparsers do", async () => {
    const res = await run(pushV2Command, ['push', '--account', 'bob@x', '--callid', 'c', '--from', 'a', '--to', 'b']);
    expect(res.code).toBe(2);
    expect(res.out.join('')).toContain('pushwire push-v2: error: the following arguments are required: --account');
    const wrong = await run(pushV2Command, ['--account', 'bob@x', 'ring']);
    expect(wrong).toMatchObject({ code: 2 });
    expect(wrong.out.join('')).toContain(
      "argument action: invalid choice: 'ring' (choose from 'push', 'add', 'remove')",
    );
    const late = await run(pushV2Command, [
      '--account',
      'bob@x',
      'push',
      '--callid',
      'c',
      '--from',
      'a',
      '--to',
      'b',
      '--url',
      base,
    ]);
    expect(late.out.join('')).toContain('pushwire push-v2 push: error: unrecognized arguments: --url');
  });
});

describe('caller key', () => {
  it("sends PUSHWIRE_API_KEY as a bearer token, and no Authorization header without one (as Sylk's scripts)", async () => {
    next = { status: 200, body: '{"code":200}' };
    received.length = 0;
    await pushCommand(
      ['--url', `${base}/push`, ...V1, '--token', 't'],
      () => undefined,
      () => undefined,
      'k-123',
    );
    await pushV2Command(
      ['--url', base, '--account', 'bob@x', 'push', '--callid', 'c', '--from', 'a@x', '--to', 'bob@x'],
      () => undefined,
      () => undefined,
      'k-456',
    );
    await pushCommand(
      ['--url', `${base}/push`, ...V1, '--token', 't'],
      () => undefined,
      () => undefined,
    );
    expect(received.map((r) => r.authorization ?? null)).toEqual(['Bearer k-123', 'Bearer k-456', null]);
  });
});
