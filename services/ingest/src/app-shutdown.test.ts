// While ingest stops, its answers close their connections, so keep-alive clients cannot hold it open.
import { afterAll, describe, expect, it } from 'vitest';
import { createTestIngest } from './test-support/ingest-app.js';

let accepting = true;
const ingest = await createTestIngest({ accepting: () => accepting });
afterAll(() => ingest.close());

describe('stopping ingest', () => {
  it('keeps connections open while accepting', async () => {
    const res = await ingest.app.request('/healthz');
    expect(res.headers.get('connection')).toBeNull();
  });

  it('answers POSTs 503 with Connection: close, and closes the connection of every other answer', async () => {
    accepting = false;
    try {
      const push = await ingest.app.request('/push', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(push.status).toBe(503);
      expect(await push.json()).toEqual({ code: 503, description: 'server is shutting down', data: {} });
      expect(push.headers.get('connection')).toBe('close');
      const health = await ingest.app.request('/healthz');
      expect(health.status).toBe(200);
      expect(health.headers.get('connection')).toBe('close');
    } finally {
      accepting = true;
    }
  });
});
