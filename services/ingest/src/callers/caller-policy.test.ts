// Bearer keys: looked up by hash, optional or required, malformed headers refused, nothing when none configured.
import { DEFAULT_CALLERS_CONFIG, hashCallerKey, type CallersConfig } from '@pushwire/core';
import { describe, expect, it } from 'vitest';
import { CallerPolicy, NO_CALLERS } from './caller-policy.js';

const KEY = 'pw_9xL2b7QmT0cWvY4sR8nE1uJ6aK3dF5gH';
const config = (extra: Partial<CallersConfig> = {}): CallersConfig => ({
  requireKey: false,
  trustedProxies: [],
  keys: [
    {
      name: 'sylkserver',
      keySha256: hashCallerKey(KEY),
      apps: ['com.example.sylk'],
      rate: { perSecond: 5, burst: 10 },
    },
  ],
  ...extra,
});

describe('CallerPolicy.identify', () => {
  it('ignores the Authorization header when no key is configured (Sylk never read it)', () => {
    const policy = new CallerPolicy(DEFAULT_CALLERS_CONFIG);
    expect(policy.hasKeys).toBe(false);
    expect(policy.identify(`Bearer ${KEY}`)).toEqual({ kind: 'anonymous' });
    expect(policy.identify('Basic Zm9vOmJhcg==')).toEqual({ kind: 'anonymous' });
    expect(NO_CALLERS.identify(undefined)).toEqual({ kind: 'anonymous' });
  });

  it('finds the caller of a valid key, whatever the case of the scheme', () => {
    const policy = new CallerPolicy(config());
    const expected = {
      kind: 'caller',
      caller: { name: 'sylkserver', apps: new Set(['com.example.sylk']), rate: { perSecond: 5, burst: 10 } },
    };
    expect(policy.identify(`Bearer ${KEY}`)).toEqual(expected);
    expect(policy.identify(`bearer  ${KEY} `)).toEqual(expected);
  });

  it('keys optional: no header is anonymous, a wrong or malformed one is refused', () => {
    const policy = new CallerPolicy(config());
    expect(policy.identify(undefined)).toEqual({ kind: 'anonymous' });
    expect(policy.identify('')).toEqual({ kind: 'anonymous' });
    for (const header of [
      `Bearer ${KEY}x`,
      `Bearer ${KEY.slice(0, -1)}`,
      KEY,
      `Basic ${KEY}`,
      'Bearer',
      `Bearer ${KEY} extra`,
      `Bearer ${hashCallerKey(KEY)}`,
    ]) {
      expect({ header, id: policy.identify(header) }).toEqual({ header, id: { kind: 'refused', reason: 'invalid' } });
    }
  });

  it('keys required: no header is refused as missing', () => {
    const policy = new CallerPolicy(config({ requireKey: true }));
    expect(policy.identify(undefined)).toEqual({ kind: 'refused', reason: 'missing' });
    expect(policy.identify(`Bearer ${KEY}`)).toMatchObject({ kind: 'caller' });
  });

  it('reads every key as allowed for every app when its apps are *', () => {
    const policy = new CallerPolicy(
      config({ keys: [{ name: 'all', keySha256: hashCallerKey(KEY), apps: null, rate: null }] }),
    );
    expect(policy.identify(`Bearer ${KEY}`)).toEqual({
      kind: 'caller',
      caller: { name: 'all', apps: null, rate: null },
    });
  });
});
