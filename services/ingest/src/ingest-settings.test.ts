// A configuration reload never changes what a request in flight reads, and closes the old policy only after
// the last request using it answered.
import type { IngestPolicy, PushJobData } from '@pushwire/queue';
import { afterAll, describe, expect, it } from 'vitest';
import { AccessList } from './access-list.js';
import { IngestSettingsHolder, type IngestSettings } from './ingest-settings.js';
import { createTestIngest, TEST_APPS } from './test-support/ingest-app.js';

function spyPolicy(events: string[], name: string): IngestPolicy {
  return {
    callDeadlineMs: () => 60_000,
    cancelMarkTtlMs: () => 60_000,
    markCancelled: async () => {
      events.push(`${name}: mark`);
      return [];
    },
    admit: async () => {
      events.push(`${name}: admit`);
      return { admitted: true };
    },
    noteQueued: () => undefined,
    close: async () => {
      events.push(`${name}: closed`);
    },
  };
}

const settings = (overrides: Partial<IngestSettings>): IngestSettings => ({
  returnAsync: false,
  accessList: new AccessList([]),
  lookupApp: (appId, platform) => TEST_APPS[`${appId}/${platform}`],
  disabledApps: [],
  enabledApps: 1,
  ...overrides,
});

const body = {
  'app-id': 'com.example.sylk',
  platform: 'apple',
  token: 'a'.repeat(64),
  event: 'message',
  'call-id': 'reload-1',
  from: 'a@x',
  to: 'b@x',
  'media-type': 'sms',
  content: 'hi',
  silent: true,
};

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('IngestSettingsHolder', () => {
  it('serves a request its snapshot to the end, and closes the replaced policy only after it answered', async () => {
    const events: string[] = [];
    let release!: () => void;
    const enqueued = new Promise<void>((resolve) => (release = resolve));
    let queued: PushJobData | undefined;
    const holder = new IngestSettingsHolder(settings({ returnAsync: false, policy: spyPolicy(events, 'old') }));
    const ingest = await createTestIngest({
      settings: holder,
      producer: {
        async enqueue(_jobId, data) {
          queued = data;
          events.push('enqueue started');
          await enqueued;
        },
      },
    });
    closers.push(() => ingest.close());

    const answer = ingest.app.request('/push', { method: 'POST', body: JSON.stringify(body) });
    for (let i = 0; i < 1000 && !events.includes('enqueue started'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(events).toContain('enqueue started');
    // Reload while the request waits on Redis: sync answers, another policy, this client denied.
    const swapped = holder.swap(
      settings({ returnAsync: true, policy: spyPolicy(events, 'new'), accessList: new AccessList(['10.0.0.1']) }),
    );
    expect(events).not.toContain('old: closed');
    release();
    const res = await answer;
    // Answered with the settings it started with: async (202, no job id, no wait), allowed, old policy.
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ code: 202, description: 'accepted for delivery', data: {} });
    expect(queued?.replyTo).toBeUndefined();
    await swapped;
    expect(events).toEqual(['old: admit', 'enqueue started', 'old: closed']);

    // The next request gets the new snapshot: denied by the new access list.
    const next = await ingest.app.request('/push', {
      method: 'POST',
      body: JSON.stringify({ ...body, 'call-id': 'reload-2' }),
    });
    expect(next.status).toBe(403);
  });

  it('closes a replaced snapshot nobody uses at once, and waits for every one at close()', async () => {
    const events: string[] = [];
    const holder = new IngestSettingsHolder(settings({ policy: spyPolicy(events, 'a') }));
    await holder.swap(settings({ policy: spyPolicy(events, 'b') }));
    expect(events).toEqual(['a: closed']);
    const lease = holder.acquire();
    void holder.swap(settings({ policy: spyPolicy(events, 'c') }));
    let closed = false;
    const closing = holder.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    expect(events).toEqual(['a: closed', 'c: closed']);
    lease.release();
    lease.release(); // twice is once
    await closing;
    expect(events).toEqual(['a: closed', 'c: closed', 'b: closed']);
    expect(Object.isFrozen(holder.get())).toBe(true);
  });
});
