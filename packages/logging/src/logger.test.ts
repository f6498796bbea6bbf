import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { redactSecrets } from './redact.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('redacts authorization headers and key material at any usual depth', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    log.info({ headers: { authorization: 'bearer eyJhbGciOi', 'apns-topic': 'com.x' } }, 'outgoing');
    log.info({ app: { auth: { keyPem: '-----BEGIN PRIVATE KEY-----abc' } } }, 'config');
    log.info({ request: { headers: { Authorization: 'Bearer ya29.secret' } } }, 'nested');
    const text = lines.join('\n');
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).not.toContain('BEGIN PRIVATE KEY');
    expect(text).toContain('com.x');
    expect(JSON.parse(lines[0]!).headers.authorization).toBe('[redacted]');
  });

  it('redacts at any depth and letter case, in errors (keeping message and stack) and in child bindings', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    const error = Object.assign(new Error('request failed'), {
      config: { headers: { AUTHORIZATION: 'Bearer ya29.deep' } },
    });
    const input = { a: { b: { c: { d: { e: { Password: 'hunter2', fine: 'kept' } } } } } };
    log.error({ err: error, nested: input }, 'failed');
    log.child({ request: { headers: { authorization: 'bearer child-secret' } }, call_id: 'c1' }).info('from a child');
    const text = lines.join('\n');
    for (const secret of ['ya29.deep', 'hunter2', 'child-secret']) expect(text).not.toContain(secret);
    const first = JSON.parse(lines[0]!);
    expect(first.err.message).toBe('request failed');
    expect(first.err.type).toBe('Error');
    expect(first.err.stack).toContain('request failed');
    expect(first.err.config.headers.AUTHORIZATION).toBe('[redacted]');
    expect(first.nested.a.b.c.d.e).toEqual({ Password: '[redacted]', fine: 'kept' });
    // The caller's objects are never changed.
    expect(input.a.b.c.d.e.Password).toBe('hunter2');
    expect(error.config.headers.AUTHORIZATION).toBe('Bearer ya29.deep');
    expect(JSON.parse(lines[1]!)).toMatchObject({
      call_id: 'c1',
      request: { headers: { authorization: '[redacted]' } },
      msg: 'from a child',
    });
  });

  it('honours the level', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', level: 'info', destination });
    log.debug('hidden');
    log.info('shown');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });
});

describe('redactSecrets', () => {
  it('replaces secret fields case-insensitively, deeply, without touching the input', () => {
    const input = { a: { Authorization: 'Bearer x', list: [{ private_key: 'k' }] }, token: 'device-token' };
    const out = redactSecrets(input);
    expect(out).toEqual({
      a: { Authorization: '[redacted]', list: [{ private_key: '[redacted]' }] },
      token: 'device-token',
    });
    expect(input.a.Authorization).toBe('Bearer x');
  });
});
