// The event-class table: which events get the call deadline, which a cancel supersedes.
import { EVENTS } from '@pushwire/core';
import { describe, expect, it } from 'vitest';
import { cancelMarkTtlMs, deadlineAtFor, EVENT_POLICY, isSupersededByCancel } from './delivery-policy.js';

describe('delivery policy table', () => {
  it('has one row per event', () => {
    expect(Object.keys(EVENT_POLICY).sort()).toEqual([...EVENTS].sort());
  });

  it('caps call wake-ups and cancel at the call deadline (60 s by default), from acceptance', () => {
    expect(deadlineAtFor('incoming_session', 1_000)).toBe(61_000);
    expect(deadlineAtFor('incoming_conference_request', 1_000, 2_000)).toBe(3_000);
    expect(deadlineAtFor('cancel', 5_000, 30_000)).toBe(35_000);
  });

  it('gives messages and transfers no deadline beyond Sylk’s attempts', () => {
    expect(deadlineAtFor('message', 1_000, 2_000)).toBeUndefined();
    expect(deadlineAtFor('transfer', 1_000)).toBeUndefined();
  });

  it('lets a cancel supersede only call wake-ups', () => {
    expect(EVENTS.filter(isSupersededByCancel)).toEqual(['incoming_session', 'incoming_conference_request']);
  });

  it('keeps cancel marks for twice the call deadline', () => {
    expect(cancelMarkTtlMs()).toBe(120_000);
    expect(cancelMarkTtlMs(2_000)).toBe(4_000);
  });
});
