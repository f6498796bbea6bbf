import { describe, expect, it } from 'vitest';
import { legacyStrippedDeviceId, normalizeDeviceId } from './device-id.js';

describe('normalizeDeviceId', () => {
  it.each([
    ['urn:uuid:8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1d', '8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1d'],
    ['<urn:uuid:8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1d>', '8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1d'],
    ['URN:UUID:8A3F0B52', '8A3F0B52'],
    ['dead-beef-0001', 'dead-beef-0001'],
    ['uuid', 'uuid'],
    ['<abc>', 'abc'],
    ['urn:uuid:', ''],
    ['<<x>>', '<x>'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeDeviceId(raw)).toBe(expected);
  });
});

describe('legacyStrippedDeviceId (Python str.strip("<urn:uuid:>"), as Sylk stores ids)', () => {
  // Expected values are Python 3's own answers.
  it.each([
    ['urn:uuid:8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1d', '8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1'],
    ['dead-beef', 'ead-beef'],
    ['<urn:uuid:abc>', 'abc'],
    ['URN:UUID:abc', 'URN:UUID:abc'],
    ['uuid', ''],
    ['<urn:uuid:0f1e2d3c>', '0f1e2d3c'],
    ['', ''],
  ])('%s → %s', (raw, expected) => {
    expect(legacyStrippedDeviceId(raw)).toBe(expected);
  });

  it('differs from the proper form exactly where Sylk loses characters', () => {
    const raw = 'urn:uuid:8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1d';
    expect(legacyStrippedDeviceId(raw)).not.toBe(normalizeDeviceId(raw));
    expect(legacyStrippedDeviceId('<urn:uuid:0f1e2d3c>')).toBe(normalizeDeviceId('<urn:uuid:0f1e2d3c>'));
  });
});
