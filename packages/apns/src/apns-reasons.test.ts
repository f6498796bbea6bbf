import { describe, expect, it } from 'vitest';
import { apnsErrorDescription, describeApnsReason, describedApnsReasons } from './apns-reasons.js';

describe('apnsErrorDescription (Sylk apple_error_info)', () => {
  it('holds the 32 reasons of Sylk table, keyed by Apple real names', () => {
    expect(describedApnsReasons()).toHaveLength(32);
    expect(describedApnsReasons().every((reason) => /^[A-Za-z]+$/.test(reason))).toBe(true);
  });

  it('gives Sylk descriptions word for word', () => {
    expect(apnsErrorDescription('Unregistered')).toBe('The device token is inactive for the specified topic.');
    expect(apnsErrorDescription('BadDeviceToken')).toBe(
      'The specified device token was bad. Verify that the request contains a valid token and that the token matches the environment.',
    );
    expect(apnsErrorDescription('BadCollapseId')).toBe('The collapse identifier exceeds the maximum allowed size');
    expect(apnsErrorDescription('PayloadTooLarge')).toBe(
      'The message payload was too large. The maximum payload size is 4096 bytes.',
    );
    expect(apnsErrorDescription('InvalidPushType')).toBe('The apns-push-type value is invalid.');
  });

  it('describes BadExpirationDate by its real name (Sylk stray colon dropped on purpose)', () => {
    expect(apnsErrorDescription('BadExpirationDate')).toBe('The apns-expiration value is bad.');
    expect(apnsErrorDescription('BadExpirationDate:')).toBeUndefined();
  });

  it('is exact and case-sensitive, and knows nothing of object prototype names', () => {
    expect(apnsErrorDescription('unregistered')).toBeUndefined();
    expect(apnsErrorDescription('ExpiredToken')).toBeUndefined();
    expect(apnsErrorDescription('constructor')).toBeUndefined();
    expect(apnsErrorDescription('')).toBeUndefined();
  });

  it('formats "<reason> - <description>", or the bare reason outside the table', () => {
    expect(describeApnsReason('TopicDisallowed')).toBe('TopicDisallowed - Pushing to this topic is not allowed.');
    expect(describeApnsReason('UnrelatedKeyIdInToken')).toBe('UnrelatedKeyIdInToken');
  });
});
