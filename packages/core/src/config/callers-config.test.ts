// [callers], [caller:<name>] and trusted_proxies: parsed strictly, defaults as Sylk behaves, keys only as hashes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLERS_CONFIG, hashCallerKey, readCallersConfig } from './callers-config.js';
import { mappedNetworkWarnings, parseAllowedHosts } from './allowed-hosts.js';
import { ConfigError } from './config-error.js';
import { parseIni } from './ini-parser.js';
import { redactConfig } from './redact.js';
import type { PushwireConfig } from './types.js';

const HASH_A = hashCallerKey('key-a');
const HASH_B = hashCallerKey('key-b');
const read = (ini: string, env: Record<string, string> = {}) => readCallersConfig(parseIni(ini, 'general.ini'), env);

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('caller keys config', () => {
  it('hashes a key as sha256sum does (hex of the UTF-8 bytes)', () => {
    expect(hashCallerKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashCallerKey('pw_é')).toBe(createHash('sha256').update(Buffer.from('pw_é', 'utf8')).digest('hex'));
  });

  it('defaults to Sylk: no keys, none required, X-Forwarded-For believed from 127.0.0.1 only', () => {
    expect(readCallersConfig(null, {})).toEqual({ config: DEFAULT_CALLERS_CONFIG, warnings: [] });
    expect(read('[server]\nport = 8400\n').config).toEqual({
      requireKey: false,
      keys: [],
      trustedProxies: ['127.0.0.1/32'],
    });
  });

  it('reads keys with their apps, rate and burst', () => {
    const { config, warnings } = read(`[callers]
require_key = yes
[caller:sylkserver-1]
key_sha256 = ${HASH_A.toUpperCase()}
apps = com.example.sylk.prod, com.example.sylk.dev,com.example.sylk.prod
rate = 2.5
[caller:opensips]
key_sha256 = ${HASH_B}
apps = *
rate = 10
burst = 40
`);
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      requireKey: true,
      trustedProxies: ['127.0.0.1/32'],
      keys: [
        {
          name: 'sylkserver-1',
          keySha256: HASH_A,
          apps: ['com.example.sylk.prod', 'com.example.sylk.dev'],
          rate: { perSecond: 2.5, burst: 3 },
        },
        { name: 'opensips', keySha256: HASH_B, apps: null, rate: { perSecond: 10, burst: 40 } },
      ],
    });
  });

  it('a key without rate is unlimited', () => {
    expect(read(`[caller:a]\nkey_sha256 = ${HASH_A}\napps = x.y\n`).config.keys[0]?.rate).toBeNull();
  });

  it('refuses bad key sections, naming file, section and key', () => {
    const cases: Array<[string, string]> = [
      [`[caller:a]\napps = *\n`, '[caller:a] key_sha256'],
      [`[caller:a]\nkey_sha256 = abc\napps = *\n`, '[caller:a] key_sha256'],
      [`[caller:a]\nkey_sha256 = ${HASH_A}\n`, '[caller:a] apps'],
      [`[caller:a]\nkey_sha256 = ${HASH_A}\napps = *, x.y\n`, '[caller:a] apps'],
      [`[caller:a]\nkey_sha256 = ${HASH_A}\napps = x.y z.w\n`, '[caller:a] apps'],
      [`[caller:a]\nkey_sha256 = ${HASH_A}\napps = *\nrate = fast\n`, '[caller:a] rate'],
      [`[caller:a]\nkey_sha256 = ${HASH_A}\napps = *\nrate = 0\n`, '[caller:a] rate'],
      [`[caller:a]\nkey_sha256 = ${HASH_A}\napps = *\nburst = 5\n`, '[caller:a] burst'],
      [`[caller:a]\nkey_sha256 = ${HASH_A}\napps = *\nrate = 1\nburst = 0\n`, '[caller:a] burst'],
      [`[caller:a b]\nkey_sha256 = ${HASH_A}\napps = *\n`, '[caller:a b]'],
      [
        `[caller:a]\nkey_sha256 = ${HASH_A}\napps = *\n[caller:b]\nkey_sha256 = ${HASH_A}\napps = *\n`,
        '[caller:b] key_sha256',
      ],
      [`[callers]\nrequire_key = maybe\n`, '[callers] require_key'],
      [`[callers]\nrequire_key = yes\n`, '[callers] require_key'],
      [`[server]\ntrusted_proxies = 10.0.0.1/8\n`, '[server] trusted_proxies'],
      [`[server]\ntrusted_proxies = proxy.example.com\n`, '[server] trusted_proxies'],
    ];
    for (const [ini, key] of cases) {
      const error = errorOf(() => read(ini));
      expect({ ini, file: error.file, key: error.key }).toEqual({ ini, file: 'general.ini', key });
    }
    expect(
      errorOf(() =>
        read(`[caller:a]\nkey_sha256 = ${HASH_A}\napps = *\n[caller:b]\nkey_sha256 = ${HASH_A}\napps = *\n`),
      ).reason,
    ).toBe('the same key as [caller:a]');
  });

  it('warns about unknown settings and misspelt sections instead of ignoring them silently', () => {
    const { warnings } = read(
      `[caller:a]\nkey_sha256 = ${HASH_A}\napps = *\nrates = 5\n[callers:b]\nkey_sha256 = ${HASH_B}\n`,
    );
    expect(warnings).toEqual([
      'general.ini: [caller:a] rates is not a known setting and is ignored',
      "general.ini: [callers:b] is ignored: a key's section is [caller:<name>], the options are in [callers]",
    ]);
  });

  it('reads trusted proxies: CIDRs and hosts, any comma spacing; empty or none trusts nobody', () => {
    expect(read('[server]\ntrusted_proxies = 10.0.0.0/8,192.168.1.1 ,  fd00::/8, ::1\n').config.trustedProxies).toEqual(
      ['10.0.0.0/8', '192.168.1.1/32', 'fd00::/8', '::1/128'],
    );
    expect(read('[server]\ntrusted_proxies =\n').config.trustedProxies).toEqual([]);
    expect(read('[server]\ntrusted_proxies = none\n').config.trustedProxies).toEqual([]);
  });

  it('takes PUSHWIRE_TRUSTED_PROXIES and PUSHWIRE_REQUIRE_KEY over general.ini', () => {
    const ini = `[server]\ntrusted_proxies = 10.0.0.0/8\n[callers]\nrequire_key = no\n[caller:a]\nkey_sha256 = ${HASH_A}\napps = *\n`;
    const { config } = read(ini, { PUSHWIRE_TRUSTED_PROXIES: '172.16.0.0/12', PUSHWIRE_REQUIRE_KEY: 'yes' });
    expect(config.trustedProxies).toEqual(['172.16.0.0/12']);
    expect(config.requireKey).toBe(true);
    expect(read(ini, { PUSHWIRE_TRUSTED_PROXIES: 'none' }).config.trustedProxies).toEqual([]);
    const error = errorOf(() => read(ini, { PUSHWIRE_TRUSTED_PROXIES: '10.0.0.1/8' }));
    expect([error.file, error.key]).toEqual(['environment', 'PUSHWIRE_TRUSTED_PROXIES']);
  });

  it('keeps key hashes out of the logged config', () => {
    const config = {
      callers: {
        requireKey: false,
        trustedProxies: [],
        keys: [{ name: 'a', keySha256: HASH_A, apps: null, rate: null }],
      },
    } as unknown as PushwireConfig;
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toContain(HASH_A);
    expect(text).toContain('"name":"a"');
  });
});

describe('keys that anonymous callers bypass', () => {
  const scoped = `[caller:sylk]\nkey_sha256 = ${HASH_A}\napps = com.example.sylk\n[caller:fast]\nkey_sha256 = ${HASH_B}\napps = *\nrate = 5\n`;

  it('warns when keys carry app scopes or rates while require_key = no', () => {
    for (const ini of [scoped, `[callers]\nrequire_key = no\n${scoped}`]) {
      const { warnings } = read(ini);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /require_key is no, so callers without a key bypass the app scopes and rates of \[caller:sylk\], \[caller:fast\]/,
      );
    }
    expect(read(`[callers]\nrequire_key = yes\n${scoped}`, { PUSHWIRE_REQUIRE_KEY: 'no' }).warnings[0]).toMatch(
      /^PUSHWIRE_REQUIRE_KEY is no/,
    );
  });

  it('stays quiet when keys are required, or when no key limits anything', () => {
    expect(read(`[callers]\nrequire_key = yes\n${scoped}`).warnings).toEqual([]);
    expect(read(`[caller:open]\nkey_sha256 = ${HASH_A}\napps = *\n`).warnings).toEqual([]);
  });
});

describe('IPv6 networks that cover IPv4-mapped addresses', () => {
  it('are warned about in trusted_proxies and allowed_hosts: they trust or admit no IPv4 client', () => {
    expect(read('[server]\ntrusted_proxies = ::ffff:0:0/96, 10.0.0.0/8\n').warnings).toEqual([
      expect.stringMatching(
        /^general\.ini: \[server\] trusted_proxies: ::ffff:0:0\/96 covers IPv4-mapped addresses, but IPv4 clients are matched against IPv4 networks only/,
      ),
    ]);
    expect(read('[server]\ntrusted_proxies = ::/0\n').warnings).toHaveLength(1);
    expect(read('[server]\ntrusted_proxies = ::ffff:10.0.0.0/104\n').warnings).toHaveLength(1);
    expect(read('[server]\ntrusted_proxies = 2001:db8::/32, ::1\n').warnings).toEqual([]);
    expect(read('[server]\ntrusted_proxies = ::/0, 0.0.0.0/0\n').warnings).toEqual([]);
    expect(
      mappedNetworkWarnings(parseAllowedHosts('::/0, ::ffff:0:0/96, fd00::/8'), 'general.ini: [server] allowed_hosts'),
    ).toHaveLength(2);
  });
});
