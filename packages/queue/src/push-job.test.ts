import { describe, expect, it } from 'vitest';
import { v1JobId } from './job-id.js';
import { pushJobOptions, sylkRetries } from './push-job.js';
import { pushQueueName } from './queue-names.js';

describe('push jobs', () => {
  it('retries as Sylk: 11 for sms or no media type, 7 otherwise', () => {
    expect(sylkRetries(null)).toBe(11);
    expect(sylkRetries('sms')).toBe(11);
    expect(sylkRetries('audio')).toBe(7);
    expect(pushJobOptions({ jobId: 'x', mediaType: 'video', retryBaseMs: 500 })).toMatchObject({
      attempts: 8,
      backoff: { type: 'sylk', delay: 500 },
    });
  });

  it('derives a BullMQ-safe, stable job id from the idempotency key', () => {
    const req = { appId: 'com.x', platform: 'apple' as const, token: 't', event: 'cancel' as const, callId: 'a:b@c' };
    const id = v1JobId(req);
    expect(id).toMatch(/^v1-[0-9a-f]{40}$/);
    expect(v1JobId({ ...req })).toBe(id);
    expect(v1JobId({ ...req, event: 'incoming_session' })).not.toBe(id);
    // Field boundaries matter: moving a character between fields changes the id.
    expect(v1JobId({ ...req, appId: 'com.xt', token: '' })).not.toBe(id);
  });

  it('names one queue per app and platform', () => {
    expect(pushQueueName('com.x.dev', 'apple')).toBe('push.apple.com.x.dev');
  });
});
