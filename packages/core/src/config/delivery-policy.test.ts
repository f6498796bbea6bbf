// call_deadline and expiration_from_deadline: parsed per app by the loader, defaults, bad values.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_APP_DELIVERY, parseDeliveryPolicy } from './delivery-policy.js';
import { loadConfig } from './load-config.js';
import { makeConfigDir, type TestConfigDir } from '../test-support/config-dir.js';

let cfg: TestConfigDir;
beforeEach(() => {
  cfg = makeConfigDir();
});
afterEach(() => cfg.remove());

const section = (name: string, extra: string): string =>
  `[${name}]\napp_id = com.example.${name}\napp_type = sylk\napp_platform = firebase\n` +
  `firebase_authorization_key = k\nfirebase_push_url = https://h/\n${extra}\n`;

function parse(entries: Record<string, string>): {
  policy: ReturnType<typeof parseDeliveryPolicy>;
  warnings: string[];
} {
  const warnings: string[] = [];
  const policy = parseDeliveryPolicy(new Map(Object.entries(entries)), (w) => warnings.push(w));
  return { policy, warnings };
}

describe('delivery policy keys in applications.ini', () => {
  it('loads each app’s own call_deadline and expiration_from_deadline, defaults elsewhere', () => {
    cfg.applications(
      section('fast', 'call_deadline = 2\nexpiration_from_deadline = true') +
        section('half', 'call_deadline = 1.5\nexpiration_from_deadline = Off') +
        section('plain', ''),
    );
    const config = loadConfig({ configDir: cfg.dir, knownAppTypes: ['sylk'] });
    expect(config.warnings.filter((w) => w.includes('deadline'))).toEqual([]);
    const byId = Object.fromEntries(config.apps.map((a) => [a.appId, a.delivery]));
    expect(byId).toEqual({
      'com.example.fast': { callDeadlineMs: 2000, expirationFromDeadline: true },
      'com.example.half': { callDeadlineMs: 1500, expirationFromDeadline: false },
      'com.example.plain': { callDeadlineMs: 60_000, expirationFromDeadline: false },
    });
  });

  it('defaults to Sylk’s behaviour capped at 60 s: literal expirations', () => {
    expect(parse({}).policy).toEqual(DEFAULT_APP_DELIVERY);
    expect(DEFAULT_APP_DELIVERY).toEqual({ callDeadlineMs: 60_000, expirationFromDeadline: false });
  });

  it.each(['yes', 'on', '1', 'TRUE'])('reads %s as true, as configparser does', (word) => {
    expect(parse({ expiration_from_deadline: word }).policy.expirationFromDeadline).toBe(true);
  });

  it.each([['0'], ['-3'], ['2s'], ['abc'], ['100000']])('warns about call_deadline = %s and keeps 60 s', (value) => {
    const { policy, warnings } = parse({ call_deadline: value });
    expect(policy.callDeadlineMs).toBe(60_000);
    expect(warnings).toEqual([
      expect.stringContaining(`call_deadline must be a number of seconds above 0 and at most 86400, got "${value}"`),
    ]);
  });

  it('warns about a bad expiration_from_deadline and keeps the literal expirations, naming the app section', () => {
    cfg.applications(section('x', 'expiration_from_deadline = sometimes'));
    const config = loadConfig({ configDir: cfg.dir, knownAppTypes: ['sylk'] });
    expect(config.apps[0]?.delivery?.expirationFromDeadline).toBe(false);
    expect(config.disabledApps).toEqual([]);
    expect(config.warnings.filter((w) => w.includes('deadline'))).toEqual([
      expect.stringMatching(/\[x\]: expiration_from_deadline must be true or false, got "sometimes"/),
    ]);
  });
});
