import { Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { startLogSink, type LogSink } from '@pushwire/sandbox-emulators';
import type { SinkPayload } from './sink-payload.js';
import { testRedis } from './test-support/redis-fixture.js';
import { sampleInput } from './test-support/sample-record.js';
import { sinkApp, startSinkStack, type SinkStack } from './test-support/sink-stack.js';

const RECORDS = 25;

/** Waits until the sink has accepted every call id at least once; returns all records (duplicates kept). */
async function waitForEveryRecord(
  sink: LogSink,
  callIds: readonly string[],
  timeoutMs = 20_000,
): Promise<SinkPayload[]> {
  const deadline = Date.now() + timeoutMs;
  const missing = () =>
    callIds.filter((id) => !sink.records.some((r) => (r as SinkPayload).request.incoming_body.call_id === id));
  while (missing().length > 0) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`records never arrived for ${missing().join(', ')}`);
    await sink.waitFor(sink.records.length + 1, left);
  }
  return sink.records as SinkPayload[];
}

describe('a sink that is down for a while', () => {
  let stack: SinkStack | undefined;
  let sink: LogSink | undefined;

  afterEach(async () => {
    await stack?.close();
    await sink?.close();
    stack = undefined;
    sink = undefined;
  });

  it('receives every record once it is back (at least once), while pushes complete during the outage', async ({
    annotate,
  }) => {
    sink = await startLogSink();
    sink.down('unavailable');
    stack = await startSinkStack(sinkApp([sink.url]));
    const { publisher, prefix } = stack;

    // A stand-in for the push worker: each push job publishes its sink record, as the real one will.
    const pushRedis = testRedis();
    const pushQueue = new Queue<{ callId: string }>('push.apple.com.example.sylk', { connection: pushRedis, prefix });
    const pushWorker = new Worker<{ callId: string }>(
      pushQueue.name,
      async (job) => {
        await publisher.publish(sampleInput({ callId: job.data.callId }));
        return 'delivered';
      },
      { connection: testRedis(), prefix, concurrency: 5 },
    );
    stack.defer(async () => {
      await pushWorker.close();
      await pushQueue.close();
      pushRedis.disconnect();
    });
    const callIds = Array.from({ length: RECORDS }, (_, i) => `outage-call-${i}`);
    const pushesDone = new Promise<void>((resolve) => {
      let completed = 0;
      pushWorker.on('completed', () => {
        if (++completed === RECORDS) resolve();
      });
    });
    await pushQueue.addBulk(callIds.map((callId) => ({ name: callId, data: { callId } })));

    // Every push completes while the sink refuses everything.
    await pushesDone;
    expect(sink.records).toHaveLength(0);

    // The outage lasts through retries: twice as many refusals as records.
    await sink.waitForRequests(2 * RECORDS);
    // The sink worker restarts mid-outage (a deploy): queued records are not lost with it.
    await stack.worker.close();
    stack.worker = await stack.startWorker();
    // The sink now drops connections instead (transport errors rather than 503s).
    sink.down('reset');
    const refusedSoFar = sink.requests.length;
    await sink.waitForRequests(refusedSoFar + 5);
    expect(sink.records).toHaveLength(0);

    sink.up();
    const records = await waitForEveryRecord(sink, callIds);
    const received = records.map((r) => r.request.incoming_body.call_id as string);
    const duplicates = received.length - new Set(received).size;
    await annotate(`${RECORDS} records, ${sink.requests.length} sink requests, ${duplicates} duplicate record(s)`);
    expect(new Set(received)).toEqual(new Set(callIds));
    expect(sink.requests.some((r) => r.outcome === 503)).toBe(true);
    expect(sink.requests.some((r) => r.outcome === 'reset')).toBe(true);

    const settled = await stack.waitForSettled((c) => c.completed + c.failed === RECORDS);
    expect(settled).toEqual({ completed: RECORDS, failed: 0 });
  });
});
