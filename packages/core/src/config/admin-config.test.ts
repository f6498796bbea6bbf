// [admin] of general.ini and its environment overrides: off by default, never half-open.
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_ALLOWED_HOSTS, readAdminConfig } from './admin-config.js';
import { ConfigError } from './config-error.js';
import { redactConfig } from './redact.js';
import type { PushwireConfig } from './types.js';

const ini = (entries: Record<string, string>) => new Map(Object.entries(entries));
const read = (entries: Record<string, string>, env: Record<string, string> = {}) =>
  readAdminConfig(ini(entries), env, 'general.ini');

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('[admin] config', () => {
  it('is off without credentials, with 7 days / 100000 jobs retention and content shown', () => {
    expect(read({})).toEqual({
      credentials: null,
      retentionMs: 7 * 86_400_000,
      retentionJobs: 100_000,
      redactContent: false,
      allowedHosts: [...DEFAULT_ADMIN_ALLOWED_HOSTS],
    });
  });

  it('reads a user and a clear password, retention and redaction', () => {
    const config = read({
      username: 'auditor',
      password: 's3cret',
      retention_days: '2.5',
      retention_jobs: '500',
      redact_content: 'yes',
    });
    expect(config).toEqual({
      credentials: { username: 'auditor', secret: { kind: 'plain', password: 's3cret' } },
      retentionMs: 2.5 * 86_400_000,
      retentionJobs: 500,
      redactContent: true,
      allowedHosts: [...DEFAULT_ADMIN_ALLOWED_HOSTS],
    });
  });

  it('reads an scrypt hash', () => {
    const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const hash = scryptSync('pw', salt, 32);
    const config = read({ username: 'a', password_hash: `scrypt$${salt.toString('hex')}$${hash.toString('hex')}` });
    expect(config.credentials?.secret).toEqual({ kind: 'scrypt', salt, hash });
  });

  it('lets PUSHWIRE_ADMIN_USER / PUSHWIRE_ADMIN_PASSWORD override the file', () => {
    const config = read(
      { username: 'file-user', password: 'file-pw' },
      { PUSHWIRE_ADMIN_USER: 'env-user', PUSHWIRE_ADMIN_PASSWORD: 'env-pw' },
    );
    expect(config.credentials).toEqual({ username: 'env-user', secret: { kind: 'plain', password: 'env-pw' } });
    expect(read({}, { PUSHWIRE_ADMIN_USER: 'u', PUSHWIRE_ADMIN_PASSWORD: 'p' }).credentials?.username).toBe('u');
  });

  it('refuses a half-configured login instead of guessing', () => {
    expect(errorOf(() => read({ username: 'a' })).key).toBe('[admin] username');
    expect(errorOf(() => read({ password: 'p' })).key).toBe('[admin] password');
    expect(errorOf(() => read({}, { PUSHWIRE_ADMIN_PASSWORD: 'p' })).key).toBe('PUSHWIRE_ADMIN_PASSWORD');
    expect(errorOf(() => read({ username: 'a', password: 'p', password_hash: 'scrypt$00$00' })).reason).toMatch(
      /not both/,
    );
    expect(errorOf(() => read({ username: 'a:b', password: 'p' })).reason).toMatch(/":"/);
    expect(errorOf(() => read({ username: 'a', password_hash: 'sha1$abc' })).key).toBe('[admin] password_hash');
  });

  it('refuses bad retention and redaction values, naming the key', () => {
    expect(errorOf(() => read({ retention_days: '0' })).key).toBe('[admin] retention_days');
    expect(errorOf(() => read({ retention_days: 'week' })).key).toBe('[admin] retention_days');
    expect(errorOf(() => read({ retention_jobs: '1.5' })).key).toBe('[admin] retention_jobs');
    expect(errorOf(() => read({ redact_content: 'maybe' })).key).toBe('[admin] redact_content');
  });

  it('never shows the password in the redacted configuration', () => {
    const admin = read({ username: 'auditor', password: 'hunter2-secret' });
    const config = { admin } as unknown as PushwireConfig;
    const text = JSON.stringify(redactConfig({ ...config, pushwire: { redisUrl: 'redis://x' } } as PushwireConfig));
    expect(text).not.toContain('hunter2-secret');
    expect(text).toContain('auditor');
  });
});

describe('[admin] allowed_hosts', () => {
  it('defaults to loopback and private ranges; * opens; a list replaces the default', () => {
    expect(read({}).allowedHosts).toEqual([
      '127.0.0.0/8',
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '::1/128',
      'fc00::/7',
    ]);
    expect(read({ allowed_hosts: '*' }).allowedHosts).toBeNull();
    expect(read({ allowed_hosts: '192.0.2.7,2001:db8::/32' }).allowedHosts).toEqual(['192.0.2.7/32', '2001:db8::/32']);
  });

  it('refuses a bad network or an empty list, naming the key', () => {
    expect(errorOf(() => read({ allowed_hosts: '10.0.0.1/8' })).message).toMatch(
      /\[admin\] allowed_hosts.*host bits set/,
    );
    expect(errorOf(() => read({ allowed_hosts: 'none' })).message).toMatch(/\[admin\] allowed_hosts.*no network/);
  });
});
