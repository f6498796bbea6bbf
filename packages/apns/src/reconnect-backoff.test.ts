import { describe, expect, it } from 'vitest';
import { ReconnectBackoff } from './reconnect-backoff.js';

describe('ReconnectBackoff', () => {
  it('does not wait before any failure, then waits a jittered, doubling, capped time', () => {
    const top = new ReconnectBackoff({ baseMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect(top.nextDelayMs()).toBe(0);
    const seen: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      top.failed();
      seen.push(top.nextDelayMs());
    }
    expect(seen).toEqual([99, 199, 399, 799, 999, 999]);
    top.succeeded();
    expect(top.nextDelayMs()).toBe(0);
  });

  it('spreads the wait over the whole interval (full jitter)', () => {
    const low = new ReconnectBackoff({ baseMs: 100, random: () => 0 });
    low.failed();
    low.failed();
    expect(low.nextDelayMs()).toBe(0);
    const mid = new ReconnectBackoff({ baseMs: 100, random: () => 0.5 });
    mid.failed();
    mid.failed();
    expect(mid.nextDelayMs()).toBe(100);
  });
});
