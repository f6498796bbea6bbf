import { describe, expect, it } from 'vitest';
import { toHuaweiMessage } from './huawei-message.js';

describe('toHuaweiMessage', () => {
  it("sends the FCM data map as Push Kit's JSON-string data, urgency HIGH and the FCM ttl, to one token", () => {
    const push = {
      token: 'tok',
      headers: {},
      payload: {
        message: {
          token: 'tok',
          data: { event: 'incoming_session', 'call-id': 'c1' },
          android: { priority: 'high', ttl: '42s' },
        },
      },
    };
    expect(toHuaweiMessage(push)).toEqual({
      validate_only: false,
      message: {
        data: '{"event":"incoming_session","call-id":"c1"}',
        android: { urgency: 'HIGH', ttl: '42s' },
        token: ['tok'],
      },
    });
  });

  it('drops a notification (Push Kit data messages only) and maps normal priority to NORMAL', () => {
    const push = {
      token: 't',
      headers: {},
      payload: { message: { token: 't', data: {}, notification: { title: 'x' }, android: { priority: 'normal' } } },
    };
    expect(toHuaweiMessage(push, true)).toEqual({
      validate_only: true,
      message: { data: '{}', android: { urgency: 'NORMAL' }, token: ['t'] },
    });
  });
});
