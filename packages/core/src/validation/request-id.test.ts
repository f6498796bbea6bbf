// Sylk's request id is `<event>-<app-id>-<call-id>`, whatever characters the call-id holds.
import { describe, expect, it } from 'vitest';
import { requestIdOf } from './request-id.js';

describe('requestIdOf', () => {
  it('joins event, app-id and call-id with dashes', () => {
    expect(
      requestIdOf({
        event: 'incoming_session',
        appId: 'com.agprojects.sylk-ios',
        callId: 'a84b4c76e66710@pc33.example.com',
      }),
    ).toBe('incoming_session-com.agprojects.sylk-ios-a84b4c76e66710@pc33.example.com');
    expect(requestIdOf({ event: 'cancel', appId: 'x', callId: '' })).toBe('cancel-x-');
  });
});
