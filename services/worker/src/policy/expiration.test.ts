// expiration_from_deadline: the wire expiration of APNs and FCM pushes from the call deadline.
import { getAppType } from '@pushwire/apps';
import { describe, expect, it } from 'vitest';
import { pushRequest } from '../../../../packages/apps/src/test-support/push-request.js';
import { withExpirationFromDeadline } from './expiration.js';

const sylk = getAppType('sylk')!;
const linphone = getAppType('linphone')!;
const now = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('withExpirationFromDeadline', () => {
  it('sets apns-expiration to the deadline in epoch seconds instead of Sylk’s "120"', () => {
    const push = sylk.apple(
      pushRequest({ appId: 'com.x.dev', platform: 'apple', event: 'incoming_session', mediaType: 'audio' }),
      { now: new Date(now) },
    );
    expect(push.headers['apns-expiration']).toBe('120');
    const out = withExpirationFromDeadline(push, 'apple', now + 42_700, now);
    expect(out.headers['apns-expiration']).toBe(String(Math.floor((now + 42_700) / 1000)));
    expect(out.headers['apns-push-type']).toBe('voip');
    expect(push.headers['apns-expiration']).toBe('120'); // the original is untouched
  });

  it('sets FCM android.ttl to the remaining whole seconds instead of "60s", and keeps the rest', () => {
    const push = sylk.firebase(pushRequest({ appId: 'com.x', platform: 'firebase', event: 'cancel' }), {
      now: new Date(now),
      legacy: false,
    });
    const out = withExpirationFromDeadline(push, 'firebase', now + 2_999, now);
    expect(out.payload).toMatchObject({ message: { android: { priority: 'high', ttl: '2s' }, token: 'tok-1' } });
    expect((push.payload as { message: { android: { ttl: string } } }).message.android.ttl).toBe('60s');
  });

  it('never writes a negative ttl', () => {
    const push = sylk.firebase(pushRequest({ appId: 'com.x', platform: 'firebase', event: 'incoming_session' }), {
      now: new Date(now),
      legacy: false,
    });
    expect(withExpirationFromDeadline(push, 'firebase', now - 5_000, now).payload).toMatchObject({
      message: { android: { ttl: '0s' } },
    });
  });

  it('sets time_to_live of a legacy Linphone payload', () => {
    const push = linphone.firebase(pushRequest({ appId: 'com.x', platform: 'firebase', event: 'incoming_session' }), {
      now: new Date(now),
      legacy: true,
    });
    expect(push.payload).toMatchObject({ time_to_live: 2419199 });
    expect(withExpirationFromDeadline(push, 'firebase', now + 10_000, now).payload).toMatchObject({ time_to_live: 10 });
  });
});
