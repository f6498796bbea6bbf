// Slots as Redis Cluster computes them (values from the Redis Cluster specification and CLUSTER KEYSLOT).
import { describe, expect, it } from 'vitest';
import { hashTagOf, keySlot } from './key-slot.js';

describe('keySlot', () => {
  it('matches the slots Redis gives', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('bar')).toBe(5061);
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('foo{{bar}}zap')).toBe(4015);
    expect(keySlot('')).toBe(0);
  });

  it('hashes only the first non-empty hash tag', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(hashTagOf('foo{}{bar}')).toBe('foo{}{bar}');
    expect(hashTagOf('foo{{bar}}zap')).toBe('{bar');
    expect(hashTagOf('foo{bar}{zap}')).toBe('bar');
    expect(hashTagOf('{pushwire:push.apple.app}:push.apple.app:42')).toBe('pushwire:push.apple.app');
  });

  it('hashes UTF-8 bytes', () => {
    expect(keySlot('é')).toBe(10180);
    expect(keySlot('{é}')).toBe(10180);
    expect(keySlot('é')).not.toBe(keySlot('e'));
  });
});
