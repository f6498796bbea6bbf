// `pushwire push` (sylk-pushclient) and `pushwire push-v2` (sylk-pushclient-v2) run as child processes against a
// whole stack: Sylk's output lines and exit codes, and what reached the (emulated) push services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../services/pushwire/src/local-redis.js';
import { spawnPushwire, startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const VOIP = 'a'.repeat(64);
const BACKGROUND = 'b'.repeat(64);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function cli(...args: string[]): Promise<{ code: number | null; lines: string[] }> {
  const proc = spawnPushwire(args, stack.env);
  const code = await proc.exited;
  return {
    code,
    lines: proc
      .output()
      .split('\n')
      .filter((l) => l !== ''),
  };
}

/** The JSON after `<prefix>` on the line that starts with it. */
function answerAfter(line: string | undefined, prefix: string): unknown {
  expect(line?.startsWith(prefix), line).toBe(true);
  return JSON.parse(line!.slice(prefix.length)) as unknown;
}

const v1 = (...extra: string[]) => [
  'push',
  '--url',
  `${stack.url}/push`,
  '--platform',
  'ios',
  '--appid',
  SYLK,
  '--token',
  `${VOIP}-${BACKGROUND}`,
  '--deviceid',
  'urn:uuid:cli-1',
  '--from',
  '"alice@example.com"',
  '--from_name',
  '"Alice"',
  '--to',
  'bob@example.com',
  ...extra,
];

describe('pushwire push (sylk-pushclient)', () => {
  it('sends a call wake-up to the VoIP half of the token: 200 line, exit 0', async () => {
    const { code, lines } = await cli(...v1('--callid', 'cli-call-1', '--mediatype', 'audio/video'));
    expect(code, lines.join('\n')).toBe(0);
    const answer = answerAfter(lines[0], `incoming_session push for cli-call-1 to ${stack.url}/push response 200 OK: `);
    expect(answer).toMatchObject({
      code: 200,
      description: 'push notification response',
      data: { code: 200, platform: 'apple', token: VOIP },
    });
    const sent = stack.sandbox.apns.requests.find(
      (r) => (r.json as { 'call-id'?: string } | null)?.['call-id'] === 'cli-call-1',
    );
    expect(sent).toMatchObject({
      token: VOIP,
      delivered: true,
      json: {
        event: 'incoming_session',
        'media-type': 'video',
        from_uri: 'alice@example.com',
        from_display_name: 'Alice',
      },
    });
  });

  it('sends a cancel to the background half of the token', async () => {
    const { code, lines } = await cli(...v1('--callid', 'cli-call-1', '--event', 'cancel'));
    expect(code, lines.join('\n')).toBe(0);
    expect(answerAfter(lines[0], `cancel push for cli-call-1 to ${stack.url}/push response 200 OK: `)).toMatchObject({
      data: { token: BACKGROUND },
    });
  });

  it('reports a dead token (410) and a refused request (404) as failures: exit 1', async () => {
    const dead = await cli(
      'push',
      '--url',
      `${stack.url}/push`,
      '--platform',
      'apple',
      '--appid',
      SYLK,
      '--token',
      'f'.repeat(63),
      '--deviceid',
      'd',
      '--callid',
      'cli-call-2',
      '--from',
      'alice@example.com',
      '--to',
      'bob@example.com',
    );
    expect(dead.code).toBe(1);
    expect(
      answerAfter(dead.lines[0], `incoming_session push for cli-call-2 to ${stack.url}/push failed: 410: `),
    ).toMatchObject({ code: 410, data: { reason: expect.stringMatching(/^BadDeviceToken/) } });
    const unknown = await cli(...v1('--callid', 'cli-call-3').map((a) => (a === SYLK ? 'com.example.unknown' : a)));
    expect(unknown).toEqual({
      code: 1,
      lines: [
        `incoming_session push for cli-call-3 to ${stack.url}/push failed: 404: {"code":404,"description":"Apple com.example.unknown app is not configured","data":""}`,
      ],
    });
  });

  it('reports an unreachable server as a connection error (exit 1) and a bad command line as argparse does (exit 2)', async () => {
    const url = `http://127.0.0.1:${await freePort()}/push`;
    const down = await cli(
      'push',
      '--url',
      url,
      '--platform',
      'ios',
      '--appid',
      SYLK,
      '--token',
      VOIP,
      '--deviceid',
      'd',
      '--callid',
      'c',
      '--from',
      'a',
      '--to',
      'b',
    );
    expect(down).toEqual({ code: 1, lines: [`incoming_session push for c to ${url} failed: connection error`] });
    const usage = await cli('push', '--url', url, '--callid', 'c');
    expect(usage.code).toBe(2);
    expect(usage.lines).toEqual([
      'usage: pushwire push [options]',
      'pushwire push: error: the following arguments are required: --platform, --appid, --token, --deviceid, --from, --to',
    ]);
  });
});

describe('pushwire push-v2 (sylk-pushclient-v2)', () => {
  const account = 'carol@example.com';
  const v2 = (...args: string[]) => cli('push-v2', '--url', `${stack.url}/`, '--account', account, ...args);
  const tokensUrl = () => `${stack.url}/v2/tokens/${account}`;

  it('registers devices, pushes to all and to one, removes one: one line each, exit 0', async () => {
    const apple = await v2(
      'add',
      '--platform',
      'ios',
      '--appid',
      SYLK,
      '--token',
      `${VOIP}-${BACKGROUND}`,
      '--deviceid',
      'urn:uuid:c-1',
    );
    expect(apple.code, apple.lines.join('\n')).toBe(0);
    expect(answerAfter(apple.lines[0], `Add request to ${tokensUrl()} - 200: `)).toEqual({
      'app-id': SYLK,
      platform: 'apple',
      token: `${VOIP}-${BACKGROUND}`,
      'device-id': 'c-1',
      silent: true,
      'user-agent': 'None',
    });
    const android = await v2(
      'add',
      '--platform',
      'android',
      '--appid',
      SYLK,
      '--token',
      'fcm-carol',
      '--deviceid',
      'c-2',
      '--silent',
      '0',
      '--user_agent',
      'Sylk/3.5',
    );
    expect(android.code, android.lines.join('\n')).toBe(0);

    const all = await v2(
      'push',
      '--callid',
      'cli-v2-1',
      '--from',
      'alice@example.com',
      '--to',
      account,
      '--mediatype',
      'video',
    );
    expect(all.code, all.lines.join('\n')).toBe(0);
    expect(answerAfter(all.lines[0], `Push request to ${tokensUrl()}/push - 200: `)).toMatchObject({
      code: 200,
      description: 'push notification responses',
      data: [
        { token: VOIP, code: 200 },
        { token: 'fcm-carol', code: 200 },
      ],
    });

    const one = await v2(
      'push',
      '--callid',
      'cli-v2-2',
      '--from',
      'alice@example.com',
      '--to',
      account,
      '--event',
      'message',
      '--mediatype',
      'sms',
      '--badge',
      '3',
      '--deviceid',
      'c-1',
    );
    expect(one.code, one.lines.join('\n')).toBe(0);
    expect(answerAfter(one.lines[0], `Push request to ${tokensUrl()}/push/c-1 - 200: `)).toMatchObject({
      data: [{ token: BACKGROUND, code: 200 }],
    });
    const sent = stack.sandbox.apns.requests.find(
      (r) => r.token === BACKGROUND && JSON.stringify(r.json).includes('cli-v2-2'),
    );
    expect(sent?.json).toMatchObject({ aps: { badge: 3 } });

    const removed = await v2('remove', '--appid', SYLK, '--deviceid', 'c-2');
    expect(removed).toEqual({
      code: 0,
      lines: [`Remove request to ${tokensUrl()} - 200: {"app-id":"${SYLK}","device-id":"c-2"}`],
    });
  });

  it('prints the answer and a failure line on 4xx (exit 1)', async () => {
    const again = await v2('remove', '--appid', SYLK, '--deviceid', 'c-2');
    expect(again).toEqual({
      code: 1,
      lines: [
        `Remove request to ${tokensUrl()} - 404: {"result":"Not found"}`,
        `Remove request to ${tokensUrl()} failed: 404: {"result":"Not found"}`,
      ],
    });
    const nobody = await cli(
      'push-v2',
      '--url',
      stack.url,
      '--account',
      'nobody@example.com',
      'push',
      '--callid',
      'c',
      '--from',
      'a@x',
      '--to',
      'b@x',
    );
    expect(nobody.code).toBe(1);
    expect(nobody.lines[1]).toBe(
      `Push request to ${stack.url}/v2/tokens/nobody@example.com/push failed: 404: {"code":404,"description":"Push request was not sent: user not found","data":{"account":"nobody@example.com"}}`,
    );
  });

  it('reports an unreachable server as a connection error, and refuses options after the action (exit 2)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await cli(
      'push-v2',
      '--url',
      url,
      '--account',
      account,
      'remove',
      '--appid',
      SYLK,
      '--deviceid',
      'c-1',
    );
    expect(down).toEqual({
      code: 1,
      lines: [`Remove request to ${url}/v2/tokens/${account} failed: connection error`],
    });
    const late = await cli(
      'push-v2',
      '--account',
      account,
      'remove',
      '--appid',
      SYLK,
      '--deviceid',
      'c-1',
      '--url',
      url,
    );
    expect(late.code).toBe(2);
    expect(late.lines.at(-1)).toBe(`pushwire push-v2 remove: error: unrecognized arguments: --url ${url}`);
  });
});
