// The app type registry and each type's validation rules.
import { describe, expect, it } from 'vitest';
import { APP_TYPES, appTypeNames, getAppType } from './registry.js';
import { linphone } from './linphone/index.js';
import { sylk } from './sylk/index.js';

describe('app type registry', () => {
  it('registers sylk and linphone under their names', () => {
    expect(appTypeNames()).toEqual(['sylk', 'linphone']);
    expect(getAppType('sylk')).toBe(sylk);
    expect(getAppType('linphone')).toBe(linphone);
    for (const [name, type] of Object.entries(APP_TYPES)) expect(type.name).toBe(name);
  });
  it('looks names up case-insensitively, as Sylk lower-cases app_type', () => {
    expect(getAppType('Sylk')).toBe(sylk);
    expect(getAppType('LINPHONE')).toBe(linphone);
  });
  it('answers undefined for unknown names, including Object prototype keys', () => {
    expect(getAppType('myapp')).toBeUndefined();
    expect(getAppType('constructor')).toBeUndefined();
    expect(getAppType('__proto__')).toBeUndefined();
  });
  it('carries the validation rules of each type', () => {
    expect(sylk.rules).toEqual({
      requiredKeys: ['app-id', 'call-id', 'platform', 'from', 'token', 'silent', 'to', 'event'],
      linphoneEvent: false,
    });
    expect(linphone.rules).toEqual({
      requiredKeys: ['app-id', 'call-id', 'platform', 'from', 'token'],
      linphoneEvent: true,
    });
  });
});
