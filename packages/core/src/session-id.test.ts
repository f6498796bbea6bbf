import { describe, expect, it } from 'vitest';
import { sessionIdFromCallId } from './session-id.js';

describe('sessionIdFromCallId', () => {
  it('matches Sylk for the reference example', () => {
    expect(sessionIdFromCallId('abc')).toBe('90015098-3cd2-4fb0-d696-3f7d28e17f72');
  });
  it('hashes the UTF-8 bytes of non-ASCII call-ids', () => {
    // python3 -c 'import hashlib;print(hashlib.md5("é@x".encode()).hexdigest())'
    expect(sessionIdFromCallId('é@x').replaceAll('-', '')).toBe('8d00db59465d43a5c9a4a1dde9e58c14');
  });
});
