import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBPUSH_HOSTS } from '@pushwire/core';
import { isAllowedHost } from './endpoint-hosts.js';
import { checkSubscription } from './subscription.js';

const ecdh = createECDH('prime256v1');
ecdh.generateKeys();
const P256DH = ecdh.getPublicKey().toString('base64url');
const AUTH = randomBytes(16).toString('base64url');
const sub = (endpoint: string, keys: Record<string, unknown> = { p256dh: P256DH, auth: AUTH }) =>
  JSON.stringify({ endpoint, keys });
const problem = (token: string) => {
  const checked = checkSubscription(token, DEFAULT_WEBPUSH_HOSTS);
  return checked.ok ? null : checked.problem;
};

describe('isAllowedHost', () => {
  it.each([
    ['fcm.googleapis.com', true],
    ['FCM.googleapis.com.', true],
    ['updates.push.services.mozilla.com', true],
    ['web.push.apple.com', true],
    ['wns2-by3p.notify.windows.com', true],
    ['push.services.mozilla.com', false],
    ['evilfcm.googleapis.com', false],
    ['fcm.googleapis.com.attacker.example', false],
    ['attacker.example', false],
    ['127.0.0.1', false],
    ['[::1]', false],
  ])('%s → %s with the default list', (host, allowed) => {
    expect(isAllowedHost(host, DEFAULT_WEBPUSH_HOSTS)).toBe(allowed);
  });

  it('an exact host (the sandbox emulator) only matches itself', () => {
    expect(isAllowedHost('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(isAllowedHost('127.0.0.10', ['127.0.0.1'])).toBe(false);
  });
});

describe('checkSubscription', () => {
  it('accepts what a browser gives (unpadded base64url keys)', () => {
    const checked = checkSubscription(sub('https://fcm.googleapis.com/fcm/send/abc'), DEFAULT_WEBPUSH_HOSTS);
    expect(checked).toEqual({
      ok: true,
      subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys: { p256dh: P256DH, auth: AUTH } },
    });
  });

  it.each([
    ['not JSON', 'abc', 'the token must be the PushSubscription as JSON ({"endpoint","keys":{"p256dh","auth"}})'],
    ['a JSON array', '[]', 'the token must be a JSON object'],
    ['no endpoint', JSON.stringify({ keys: {} }), 'endpoint must be a URL'],
    ['http', sub('http://fcm.googleapis.com/x'), 'endpoint must be https, got http'],
    ['credentials in the URL', sub('https://u:p@fcm.googleapis.com/x'), 'endpoint must not carry credentials'],
    [
      'a host off the list',
      sub('https://localhost/x'),
      'endpoint host localhost is not an allowed push service (webpush_allowed_hosts)',
    ],
    [
      'no keys',
      JSON.stringify({ endpoint: 'https://fcm.googleapis.com/x' }),
      'keys must be an object with p256dh and auth',
    ],
    [
      'p256dh not a string',
      sub('https://fcm.googleapis.com/x', { p256dh: 5, auth: AUTH }),
      'keys.p256dh must be a base64url string',
    ],
    [
      'p256dh standard base64',
      sub('https://fcm.googleapis.com/x', { p256dh: 'ab+/', auth: AUTH }),
      'keys.p256dh is not base64url',
    ],
    [
      'p256dh compressed',
      sub('https://fcm.googleapis.com/x', { p256dh: Buffer.alloc(33, 2).toString('base64url'), auth: AUTH }),
      'keys.p256dh must be an uncompressed P-256 public key (65 bytes), got 33 bytes',
    ],
    [
      'p256dh off the curve',
      sub('https://fcm.googleapis.com/x', {
        p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url'),
        auth: AUTH,
      }),
      'keys.p256dh must be an uncompressed P-256 public key (65 bytes), got 65 bytes',
    ],
    [
      'auth too long',
      sub('https://fcm.googleapis.com/x', { p256dh: P256DH, auth: randomBytes(32).toString('base64url') }),
      'keys.auth must be 16 bytes, got 32',
    ],
  ])('%s → a clear problem', (_name, token, expected) => {
    expect(problem(token)).toBe(`invalid Web Push subscription: ${expected}`);
  });

  it('never words a problem so that Sylk\'s handler would answer 404 ("found", "configured")', () => {
    for (const token of ['x', sub('https://localhost/x'), sub('http://a/x'), sub('https://fcm.googleapis.com/x', {})]) {
      expect(problem(token)).not.toMatch(/found|configured/);
    }
  });
});
