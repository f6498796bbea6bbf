import { afterEach, describe, expect, it } from 'vitest';
import { startLogSink, type LogSink } from '@pushwire/sandbox-emulators';
import type { SinkPayload } from './sink-payload.js';
import { sinkJobOptions, type SinkJobData } from './sink-queue.js';
import { LEVEL } from './test-support/log-capture.js';
import { APNS_JWT, sampleInput } from './test-support/sample-record.js';
import { sinkApp, startSinkStack, type SinkStack } from './test-support/sink-stack.js';
import { TEST_REDIS_URL } from './test-support/redis-fixture.js';
import { startLogSinkWorker } from './sink-worker.js';

const SYLK_INCOMING_KEYS = [
  'app_id',
  'platform',
  'event',
  'token',
  'device_id',
  'call_id',
  'sip_from',
  'from_display_name',
  'sip_to',
  'media_type',
  'silent',
  'reason',
  'badge',
  'filename',
  'filetype',
  'account',
  'content',
  'content_type',
];

const callIdOf = (record: unknown) => (record as SinkPayload).request.incoming_body.call_id;

describe('log sink worker', () => {
  let stack: SinkStack | undefined;
  const sinks: LogSink[] = [];
  const sink = async (options?: Parameters<typeof startLogSink>[0]) => {
    const s = await startLogSink(options);
    sinks.push(s);
    return s;
  };

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
    await Promise.all(sinks.splice(0).map((s) => s.close()));
  });

  it('POSTs Sylk’s record as JSON, with every key and no credential', async () => {
    const target = await sink();
    stack = await startSinkStack(sinkApp([target.url]));
    const input = sampleInput();
    await stack.publisher.publish(input);
    const [record] = (await target.waitFor(1)) as SinkPayload[];

    const request = target.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).not.toContain(APNS_JWT);
    expect(Object.keys(record!).sort()).toEqual(['request', 'response', 'server_ip', 'timestamp']);
    expect(Object.keys(record!.request).sort()).toEqual(['incoming_body', 'outgoing_body', 'outgoing_headers']);
    expect(Object.keys(record!.request.incoming_body)).toEqual(SYLK_INCOMING_KEYS);
    expect(record!.request.incoming_body).toEqual(input.incomingBody);
    expect(record!.request.outgoing_headers).toEqual({ ...input.outgoingHeaders, authorization: '[redacted]' });
    expect(record!.request.outgoing_body).toBe(input.outgoingBody);
    expect(record!.response).toEqual({ code: 200, description: '', push_url: input.response.push_url });
    expect(record!.server_ip).toBe('192.0.2.7');
    expect(record!.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('sends every record to each of two URLs, not all of them to the last one', async () => {
    const [first, second] = [await sink(), await sink()];
    stack = await startSinkStack(sinkApp([first!.url, second!.url]));
    const callIds = ['call-a', 'call-b', 'call-c'];
    for (const callId of callIds) await stack.publisher.publish(sampleInput({ callId }));

    for (const target of [first!, second!]) {
      const records = await target.waitFor(3);
      expect(records.map(callIdOf).sort()).toEqual(callIds);
    }
    expect(await stack.waitForSettled((c) => c.completed + c.failed === 6)).toEqual({ completed: 6, failed: 0 });
  });

  it('never makes publish() wait for a stalled sink', async () => {
    const target = await sink();
    target.down('stall');
    stack = await startSinkStack(sinkApp([target.url], { timeoutMs: 300 }), { concurrency: 1 });
    await stack.publisher.publish(sampleInput({ callId: 'first' }));
    await target.waitForRequests(1);

    // The only sink connection hangs; publishing goes on regardless.
    for (let i = 0; i < 5; i++) await stack.publisher.publish(sampleInput({ callId: `more-${i}` }));
    expect(target.records).toHaveLength(0);
    const {
      waiting = 0,
      active = 0,
      delayed = 0,
      completed = 0,
    } = await stack.queue.getJobCounts('waiting', 'active', 'delayed', 'completed');
    expect(waiting + active + delayed).toBe(6);
    expect(completed).toBe(0);
  });

  it('honours log_remote_timeout: a stalled POST is abandoned and the record retried', async () => {
    const target = await sink();
    target.down('stall');
    stack = await startSinkStack(sinkApp([target.url], { timeoutMs: 300 }));
    await stack.publisher.publish(sampleInput());
    await target.waitForRequests(1);
    target.up();

    const records = await target.waitFor(1);
    expect(records.map(callIdOf)).toEqual(['call-1@example.com']);
    expect(target.requests[0]!.outcome).toBe('stalled');
    const timedOut = await stack.log.waitForLine((l) => l.msg.includes('timed out after 300 ms'));
    expect(timedOut.level).toBe(LEVEL.error);
    await stack.log.waitForLine(
      (l) => l.level === LEVEL.warn && l.msg.includes('(attempt 1 of 20)') && l.msg.endsWith('will retry'),
    );
  });

  it('fails a record after `attempts` posts and keeps the job for inspection', async () => {
    const target = await sink();
    target.down('unavailable');
    stack = await startSinkStack(sinkApp([target.url]), { attempts: 3 });
    await stack.publisher.publish(sampleInput());

    const gaveUp = await stack.log.waitForLine((l) => l.msg.includes('gave up after 3 attempt(s)'));
    expect(gaveUp.level).toBe(LEVEL.error);
    expect(gaveUp.msg).toContain('answered 503');
    expect(await stack.waitForSettled((c) => c.failed > 0)).toEqual({ completed: 0, failed: 1 });
    const failed = await stack.queue.getJobs(['failed']);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data.payload.request.incoming_body.call_id).toBe('call-1@example.com');
    expect(target.requests.map((r) => r.outcome)).toEqual([503, 503, 503]);
    expect(target.records).toHaveLength(0);
  });

  it('sends a URL’s user:password as Basic auth, as Python’s requests does, and never logs the password', async () => {
    const target = await sink();
    const url = target.url.replace('http://', 'http://logger:s3cr%40t@');
    stack = await startSinkStack(sinkApp([url]));
    await stack.publisher.publish(sampleInput());
    await target.waitFor(1);
    expect(target.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('logger:s3cr@t').toString('base64')}`);
    await stack.waitForSettled((c) => c.completed === 1);
    const logged = JSON.stringify(stack.log.lines);
    expect(logged).toContain('logger:[redacted]@127.0.0.1');
    expect(logged).not.toContain('s3cr');
  });

  it('resolves the URL when it sends: a URL a reload removed gets no more retries, a moved one still gets its record', async () => {
    const [removed, moved, kept] = [await sink(), await sink(), await sink()];
    removed.down('unavailable');
    moved.down('unavailable');
    stack = await startSinkStack(sinkApp([removed.url, moved.url, kept.url]));
    await stack.publisher.publish(sampleInput({ callId: 'reloaded' }));
    await removed.waitForRequests(2);
    await moved.waitForRequests(2);
    await kept.waitFor(1);

    // A reload: the worker restarts on the new list (the first URL removed, the second moved to the end).
    await stack.worker.close();
    const postsBefore = removed.requests.length;
    const reloaded = await startLogSinkWorker({
      redisUrl: TEST_REDIS_URL,
      prefix: stack.prefix,
      logger: stack.log.logger,
      apps: [sinkApp([kept.url, moved.url])],
      retryBaseMs: 10,
      maxRetryDelayMs: 200,
    });
    stack.defer(() => reloaded.close());
    moved.up();
    expect((await moved.waitFor(1)).map(callIdOf)).toEqual(['reloaded']);
    expect(await stack.waitForSettled((c) => c.completed === 2 && c.failed === 1)).toEqual({ completed: 2, failed: 1 });
    expect(removed.requests).toHaveLength(postsBefore);
    expect(kept.records).toHaveLength(1);
    const [dropped] = await stack.queue.getJobs(['failed']);
    expect(dropped!.failedReason).toBe(`sink no longer configured: ${removed.url}`);
    await stack.log.waitForLine((l) => l.msg.includes(`${removed.url} is no longer in log_remote_urls`));
  });

  it("never logs or keeps a sink URL's key parameter, on success and on failure", async () => {
    const target = await sink();
    target.down('unavailable');
    const url = `${target.url}?key=k3y-s3cret&stream=pushes`;
    stack = await startSinkStack(sinkApp([url]), { attempts: 2 });
    await stack.publisher.publish(sampleInput());
    expect(await stack.waitForSettled((c) => c.failed === 1)).toEqual({ completed: 0, failed: 1 });
    const [job] = await stack.queue.getJobs(['failed']);
    const kept = JSON.stringify({ data: job!.data, reason: job!.failedReason, stack: job!.stacktrace });
    const logged = JSON.stringify(stack.log.lines);
    for (const text of [kept, logged]) {
      expect(text).toContain('key=[redacted]&stream=pushes');
      expect(text).not.toContain('k3y-s3cret');
    }
  });

  it('fails a job that is not a sink record at once, without posting or retrying it', async () => {
    const target = await sink();
    stack = await startSinkStack(sinkApp([target.url]));
    await stack.queue.add('hand-made', { url: target.url } as unknown as SinkJobData, sinkJobOptions());
    expect(await stack.waitForSettled((c) => c.failed === 1)).toEqual({ completed: 0, failed: 1 });
    const [job] = await stack.queue.getJobs(['failed']);
    expect(job!.attemptsMade).toBe(1);
    expect(target.requests).toHaveLength(0);
  });

  describe('log_remote_key', () => {
    it('logs the key’s value from the sink’s JSON answer', async () => {
      const target = await sink({ reply: { body: { id: 'rec-42', stored: true } } });
      stack = await startSinkStack(sinkApp([target.url], { key: 'id' }));
      const input = sampleInput();
      await stack.publisher.publish(input);
      const line = await stack.log.waitForLine((l) => l.msg.includes(' - 200 id: '));
      expect(line.msg).toBe(`log remote response for request ${input.requestId} from ${target.url} - 200 id: rec-42`);
      expect(line.level).toBe(LEVEL.info);
    });

    it('logs an error when the answer lacks the key, and still counts the record delivered', async () => {
      const target = await sink({ reply: { body: { stored: true } } });
      stack = await startSinkStack(sinkApp([target.url], { key: 'id' }));
      const input = sampleInput();
      await stack.publisher.publish(input);
      const line = await stack.log.waitForLine((l) => l.msg.includes('key not found'));
      expect(line.msg).toBe(`log remote response for request ${input.requestId} - code: 200, key not found`);
      expect(line.level).toBe(LEVEL.error);
      expect(await target.waitFor(1)).toHaveLength(1);
    });

    it('logs the status and the first 500 characters of every answer at debug', async () => {
      const answer = `${'a'.repeat(500)}${'b'.repeat(300)}`;
      const target = await sink({ reply: { status: 201, body: answer } });
      stack = await startSinkStack(sinkApp([target.url]));
      const input = sampleInput();
      await stack.publisher.publish(input);
      const line = await stack.log.waitForLine((l) => l.msg.startsWith('log remote response for request'));
      expect(line.level).toBe(LEVEL.debug);
      expect(line.msg).toBe(
        `log remote response for request ${input.requestId} from ${target.url}: 201 ${'a'.repeat(500)}`,
      );
      expect(stack.log.lines.some((l) => l.msg.includes('key not found'))).toBe(false);
    });
  });
});
