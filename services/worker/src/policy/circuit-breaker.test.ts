// The circuit breaker's state machine, on a hand-moved clock.
import { ManualClock } from '@pushwire/core';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';

function breaker(
  overrides: { failureThreshold?: number; windowMs?: number; cooldownMs?: number; burstMs?: number } = {},
) {
  const clock = new ManualClock(0);
  const changes: string[] = [];
  const b = new CircuitBreaker({
    failureThreshold: 3,
    windowMs: 10_000,
    cooldownMs: 30_000,
    burstMs: 0,
    clock,
    onChange: (from: CircuitState, to: CircuitState) => changes.push(`${from}->${to}`),
    ...overrides,
  });
  return { b, clock, changes };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, then fails fast until the cool-down ends', () => {
    const { b, clock, changes } = breaker();
    b.recordFailure();
    b.recordFailure();
    expect(b.state()).toBe('closed');
    expect(b.acquire()).toEqual({ allowed: true, probe: false });
    b.recordFailure();
    expect(b.state()).toBe('open');
    expect(changes).toEqual(['closed->open']);
    clock.advance(10_000);
    expect(b.acquire()).toEqual({ allowed: false, retryInMs: 20_000 });
  });

  it('counts failures of one burst (a dropped connection failing every stream) once', () => {
    const { b, clock } = breaker({ burstMs: 250 });
    for (let i = 0; i < 50; i += 1) b.recordFailure();
    expect(b.state()).toBe('closed');
    clock.advance(250);
    b.recordFailure();
    clock.advance(250);
    b.recordFailure();
    expect(b.state()).toBe('open');
  });

  it('does not open when a success breaks the run', () => {
    const { b } = breaker();
    b.recordFailure();
    b.recordFailure();
    b.recordSuccess();
    b.recordFailure();
    b.recordFailure();
    expect(b.state()).toBe('closed');
  });

  it('does not open when the failures are spread wider than the window', () => {
    const { b, clock } = breaker();
    b.recordFailure();
    clock.advance(6_000);
    b.recordFailure();
    clock.advance(6_000);
    b.recordFailure(); // the first is 12 s old
    expect(b.state()).toBe('closed');
    b.recordFailure(); // the last three fall within 10 s
    expect(b.state()).toBe('open');
  });

  it('lets one probe through after the cool-down; its success closes the circuit', () => {
    const { b, clock, changes } = breaker({ failureThreshold: 1 });
    b.recordFailure();
    clock.advance(30_000);
    expect(b.acquire()).toEqual({ allowed: true, probe: true });
    expect(b.state()).toBe('half-open');
    expect(b.acquire()).toMatchObject({ allowed: false });
    b.recordSuccess();
    expect(b.state()).toBe('closed');
    expect(b.acquire()).toEqual({ allowed: true, probe: false });
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('reopens for another cool-down when the probe fails', () => {
    const { b, clock } = breaker({ failureThreshold: 1 });
    b.recordFailure();
    clock.advance(30_000);
    expect(b.acquire()).toMatchObject({ probe: true });
    clock.advance(1_000);
    b.recordFailure();
    expect(b.state()).toBe('open');
    expect(b.acquire()).toEqual({ allowed: false, retryInMs: 30_000 });
  });

  it('allows a new probe when the last one was released, or never reported within a cool-down', () => {
    const { b, clock } = breaker({ failureThreshold: 1 });
    b.recordFailure();
    clock.advance(30_000);
    const probe = b.acquire();
    b.release(probe);
    expect(b.acquire()).toEqual({ allowed: true, probe: true });
    clock.advance(29_999);
    expect(b.acquire()).toEqual({ allowed: false, retryInMs: 1 });
    clock.advance(1);
    expect(b.acquire()).toEqual({ allowed: true, probe: true });
  });

  it('ignores failures of sends that started before the circuit opened', () => {
    const { b, clock } = breaker({ failureThreshold: 1 });
    b.recordFailure();
    clock.advance(20_000);
    b.recordFailure();
    expect(b.acquire()).toEqual({ allowed: false, retryInMs: 10_000 });
  });

  it('refuses a threshold below 1', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
  });
});
