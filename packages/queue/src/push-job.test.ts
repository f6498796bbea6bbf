import { describe, expect, it } from 'vitest';
import { withSylkDefaults } from '@pushwire/core';
import { v1JobId, v2JobId } from './job-id.js';
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

  it('derives a BullMQ-safe, stable job id from the whole request (DECISIONS 9)', () => {
    const req = withSylkDefaults({ appId: 'com.x', platform: 'apple', token: 't', event: 'cancel', callId: 'a:b@c', from: 'a@x', to: 'b@x' });
    const id = v1JobId(req);
    expect(id).toMatch(/^v1-[0-9a-f]{40}$/);
    // A true retry (same values, any key order) is the same job.
    expect(v1JobId(Object.fromEntries(Object.entries(req).reverse()) as typeof req)).toBe(id);
    // Any field that reaches the push makes a new one.
    for (const change of [{ event: 'incoming_session' }, { badge: 2 }, { silent: false }, { content: 'hi' }, { mediaType: 'video' }, { filename: 'f' }, { fromDisplayName: 'A' }, { deviceId: 'd' }] as const) {
      expect(v1JobId({ ...req, ...change })).not.toBe(id);
    }
    // Field boundaries matter: moving a character between fields changes the id.
    expect(v1JobId({ ...req, appId: 'com.xt', token: '' })).not.toBe(id);
  });

  it('keeps job ids byte for byte across releases (a retry during a rolling upgrade is still the same job)', () => {
    // Computed by the release before the canonical JSON was rewritten for speed (commit a6bf4a5).
    const req = withSylkDefaults({ appId: 'com.x', platform: 'apple', token: 't', event: 'cancel', callId: 'a:b@c', from: 'a@x', to: 'b@x' });
    expect(v1JobId(req)).toBe('v1-53c653e5bf578fa4c86f41117618b93ee473d7af');
    expect(v1JobId({ ...req, content: 'é 😀 "q" \\ \u2028', badge: 3, fromDisplayName: 'Ä' })).toBe('v1-fc667b3f09a62754dff60647c81f9e922c3a1e29');
    const push = { callId: 'c', event: 'message', nested: { z: [1, { b: null, a: undefined }], é: true, A: 2 } };
    expect(v2JobId({ account: 'a@x', appId: 'com.x', deviceId: 'd1', push })).toBe('v2-caf0f33fdf23dfcb98275dbdc2b3dadf7669505f');
  });

  it('keys a v2 push by account, device and the whole push body, not by the device token', () => {
    const push = { callId: 'c', event: 'message', badge: 1, content: 'hello' };
    const id = v2JobId({ account: 'a@x', appId: 'com.x', deviceId: 'd1', push });
    expect(v2JobId({ account: 'a@x', appId: 'com.x', deviceId: 'd1', push: { ...push } })).toBe(id);
    expect(v2JobId({ account: 'a@x', appId: 'com.x', deviceId: 'd1', push: { ...push, badge: 2 } })).not.toBe(id);
    expect(v2JobId({ account: 'a@x', appId: 'com.x', deviceId: 'd2', push })).not.toBe(id);
    expect(v2JobId({ account: 'a@x', appId: 'com.y', deviceId: 'd1', push })).not.toBe(id);
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
