import { describe, expect, it } from 'vitest';
import { withSylkDefaults } from '@pushwire/core';
import { keyedJobId, requestFingerprint, uniqueJobId } from './job-id.js';
import { PUSH_JOB_FORMAT, pushJobFormatProblem, pushJobOptions, sylkRetries } from './push-job.js';
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

  it('gives a request without an Idempotency-Key a BullMQ-safe job id of its own', () => {
    const ids = new Set(Array.from({ length: 100 }, () => uniqueJobId('v1')));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^v1-[0-9a-f]{40}$/);
    expect(uniqueJobId('v2')).toMatch(/^v2-[0-9a-f]{40}$/);
  });

  it("derives a keyed request's job ids from its record's nonce and, for v2, the device", () => {
    const id = keyedJobId('v2', 'n1', 'com.x\u0000d1');
    expect(id).toMatch(/^v2-[0-9a-f]{40}$/);
    expect(keyedJobId('v2', 'n1', 'com.x\u0000d1')).toBe(id);
    expect(keyedJobId('v2', 'n1', 'com.x\u0000d2')).not.toBe(id);
    expect(keyedJobId('v2', 'n2', 'com.x\u0000d1')).not.toBe(id);
    expect(keyedJobId('v1', 'n1')).toMatch(/^v1-[0-9a-f]{40}$/);
  });

  it('fingerprints a request by its values, whatever their key order; any value change is another request', () => {
    const req = withSylkDefaults({
      appId: 'com.x',
      platform: 'apple',
      token: 't',
      event: 'cancel',
      callId: 'a:b@c',
      from: 'a@x',
      to: 'b@x',
    });
    const fp = requestFingerprint(req);
    expect(requestFingerprint(Object.fromEntries(Object.entries(req).reverse()))).toBe(fp);
    for (const change of [
      { event: 'incoming_session' },
      { badge: 2 },
      { silent: false },
      { content: 'hi' },
      { deviceId: 'd' },
    ] as const) {
      expect(requestFingerprint({ ...req, ...change })).not.toBe(fp);
    }
    // Field boundaries matter: moving a character between fields changes it.
    expect(requestFingerprint({ ...req, appId: 'com.xt', token: '' })).not.toBe(fp);
    // The canonical text is stable across releases (stored fingerprints must still match after an upgrade).
    expect(requestFingerprint(req).slice(0, 40)).toBe('53c653e5bf578fa4c86f41117618b93ee473d7af');
  });

  it('names one queue per app and platform', () => {
    expect(pushQueueName('com.x.dev', 'apple')).toBe('push.apple.com.x.dev');
  });

  it('reads job data of format 1 (no `v`, the previous release) up to this release, and refuses others clearly', () => {
    const data = { request: { appId: 'com.x' }, requestId: 'message-com.x-1', acceptedAt: 1 };
    expect(pushJobFormatProblem(data)).toBeNull();
    expect(pushJobFormatProblem({ ...data, v: 1 })).toBeNull();
    expect(pushJobFormatProblem({ ...data, v: PUSH_JOB_FORMAT })).toBeNull();
    expect(pushJobFormatProblem({ ...data, v: PUSH_JOB_FORMAT + 1 })).toBe(
      `job data format v${PUSH_JOB_FORMAT + 1} is newer than this worker reads (v1 to v${PUSH_JOB_FORMAT}): upgrade the workers before ingest`,
    );
    expect(pushJobFormatProblem({ ...data, v: '2' })).toBe('job data format "2" is not a version number');
    expect(pushJobFormatProblem({ ...data, v: 0 })).toMatch(/not a version number/);
    expect(pushJobFormatProblem({ v: 1, requestId: 'r' })).toBe('job data (format v1) has no request or requestId');
    expect(pushJobFormatProblem(null)).toBe('job data is not an object');
  });
});
