// Delivery metrics: each hook moves exactly its series, labels come from the real answer mappers.
import { mapApnsResponse } from '@pushwire/apns';
import { ManualClock, type SendOutcome } from '@pushwire/core';
import { failedSend, mapFcmResponse } from '@pushwire/fcm';
import type { PushJobData } from '@pushwire/queue';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { circuitOpenResponse } from '../policy/policy-results.js';
import { noopPushMetrics } from '../observers/noop-observers.js';
import { deliveryResultOf, PushMetrics, retryCauseOf } from './push-metrics.js';
import { pushServiceReason } from './push-service-reason.js';
import { mapHuaweiResponse } from '@pushwire/huawei';

const APP = 'com.example.app';
const URL_ = 'https://api.push.apple.com/3/device/aa';

/** One sample's value; a histogram's `_bucket`/`_sum`/`_count` samples are read from the histogram. */
async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name) ?? registry.getSingleMetric(name.replace(/_(bucket|sum|count)$/, ''));
  const { values } = await metric!.get();
  const match = values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? name) === name &&
      Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
  );
  return match?.value;
}

function job(acceptedAt: number, platform: 'apple' | 'firebase' = 'apple'): PushJobData {
  return { request: { appId: APP, platform } as PushJobData['request'], requestId: 'r', acceptedAt };
}

describe('PushMetrics', () => {
  it('counts one final result per job with its end-to-end latency', async () => {
    const registry = new Registry();
    const clock = new ManualClock(1_000_000);
    const metrics = new PushMetrics({ registry, clock });
    metrics.finished(job(clock.now() - 1500), 'delivered');
    metrics.finished(job(clock.now() - 500), 'delivered');
    metrics.finished(job(clock.now() - 70_000), 'expired');

    expect(
      await value(registry, 'pushwire_deliveries_total', { app_id: APP, platform: 'apple', result: 'delivered' }),
    ).toBe(2);
    expect(await value(registry, 'pushwire_deliveries_total', { result: 'expired' })).toBe(1);
    expect(await value(registry, 'pushwire_push_end_to_end_seconds_count', { result: 'delivered' })).toBe(2);
    expect(await value(registry, 'pushwire_push_end_to_end_seconds_sum', { result: 'delivered' })).toBeCloseTo(2, 6);
    // 1.5 s falls in the 2.5 s bucket, not the 1 s one.
    expect(await value(registry, 'pushwire_push_end_to_end_seconds_bucket', { result: 'delivered', le: '1' })).toBe(1);
    expect(await value(registry, 'pushwire_push_end_to_end_seconds_bucket', { result: 'delivered', le: '2.5' })).toBe(
      2,
    );
    expect(await value(registry, 'pushwire_push_end_to_end_seconds_bucket', { result: 'expired', le: '60' })).toBe(0);
  });

  it('counts a send answer by code and reason with its duration; the no-op metrics count nothing', async () => {
    const registry = new Registry();
    const metrics = new PushMetrics({ registry });
    const target = { appId: APP, platform: 'apple' as const };
    const dead = mapApnsResponse(410, { reason: 'Unregistered' }, URL_);
    metrics.sent(target, dead, 0.01);
    noopPushMetrics.sent(target, dead, 0.01);

    expect(
      await value(registry, 'pushwire_push_service_responses_total', { code: '410', reason: 'Unregistered' }),
    ).toBe(1);
    expect(await value(registry, 'pushwire_push_service_request_duration_seconds_count', { app_id: APP })).toBe(1);
  });

  it('counts retries by cause', async () => {
    const registry = new Registry();
    const metrics = new PushMetrics({ registry });
    const target = { appId: APP, platform: 'firebase' as const };
    metrics.retried(target, retryCauseOf(failedSend('https://fcm', 'FCM connection error')));
    metrics.retried(target, retryCauseOf({ kind: 'retryable', response: circuitOpenResponse('FCM') }));
    metrics.retried(target, 'quota');
    for (const cause of ['push-service', 'circuit-open', 'quota']) {
      expect(await value(registry, 'pushwire_retries_total', { platform: 'firebase', cause })).toBe(1);
    }
  });
});

describe('deliveryResultOf', () => {
  it('names the final outcome; exhausted retries are failed, or circuit-open when the breaker held the last one', () => {
    const ok: SendOutcome = mapApnsResponse(200, {}, URL_);
    expect(deliveryResultOf(ok)).toBe('delivered');
    expect(deliveryResultOf(mapApnsResponse(400, { reason: 'BadDeviceToken' }, URL_))).toBe('dead-token');
    expect(deliveryResultOf(mapApnsResponse(400, { reason: 'BadTopic' }, URL_))).toBe('rejected');
    expect(deliveryResultOf(mapApnsResponse(503, { reason: 'ServiceUnavailable' }, URL_))).toBe('failed');
    expect(deliveryResultOf({ kind: 'retryable', response: circuitOpenResponse('APNs') })).toBe('circuit-open');
  });
});

describe('pushServiceReason', () => {
  const fcm = (status: number, body: unknown) =>
    mapFcmResponse(status, '', body, 'https://fcm.googleapis.com/v1/projects/p/messages:send');
  const fcmError = (code: number, status: string, errorCode?: string) => ({
    error: {
      code,
      status,
      message: 'x',
      details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [],
    },
  });

  it('APNs: ok, Apple reason, no-answer for a transport failure, other for an unknown reason', () => {
    expect(pushServiceReason('apple', mapApnsResponse(200, {}, URL_))).toBe('ok');
    expect(pushServiceReason('apple', mapApnsResponse(429, { reason: 'TooManyRequests' }, URL_))).toBe(
      'TooManyRequests',
    );
    expect(
      pushServiceReason('apple', {
        kind: 'retryable',
        response: { code: 500, reason: 'connect ECONNREFUSED', body: {}, url: URL_ },
      }),
    ).toBe('no-answer');
    expect(pushServiceReason('apple', mapApnsResponse(400, { reason: 'SomethingNew<script>' }, URL_))).toBe('other');
    expect(pushServiceReason('apple', mapApnsResponse(502, '<html>bad gateway</html>', URL_))).toBe('no-answer');
  });

  it('FCM: ok, the FcmError code, else the rpc status, no-answer, legacy error names', () => {
    expect(pushServiceReason('firebase', fcm(200, { name: 'projects/p/messages/1' }))).toBe('ok');
    expect(pushServiceReason('firebase', fcm(404, fcmError(404, 'NOT_FOUND', 'UNREGISTERED')))).toBe('UNREGISTERED');
    expect(pushServiceReason('firebase', fcm(429, fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED')))).toBe(
      'QUOTA_EXCEEDED',
    );
    expect(pushServiceReason('firebase', fcm(401, fcmError(401, 'UNAUTHENTICATED')))).toBe('UNAUTHENTICATED');
    expect(pushServiceReason('firebase', failedSend('https://fcm', 'FCM request timed out after 10000 ms'))).toBe(
      'no-answer',
    );
    expect(pushServiceReason('firebase', fcm(200, { failure: 1, results: [{ error: 'NotRegistered' }] }))).toBe(
      'NotRegistered',
    );
    expect(pushServiceReason('firebase', fcm(500, '<html><title>Oops: it broke badly</title></html>'))).toBe('other');
  });

  it('Push Kit: ok, the result code, no-answer, other for a bare error page', () => {
    const hw = (status: number, body: unknown) =>
      mapHuaweiResponse({ status, body }, 'tok', 'https://push-api.cloud.huawei.com/v1/1/messages:send');
    expect(pushServiceReason('huawei', hw(200, { code: '80000000', msg: 'Success', requestId: '1' }))).toBe('ok');
    expect(pushServiceReason('huawei', hw(400, { code: '80300007', msg: 'Invalid Token', requestId: '1' }))).toBe(
      '80300007',
    );
    expect(pushServiceReason('huawei', hw(503, 'Service Unavailable'))).toBe('other');
    expect(pushServiceReason('huawei', failedSend('https://push-api', 'Huawei request timed out after 10000 ms'))).toBe(
      'no-answer',
    );
  });
});
