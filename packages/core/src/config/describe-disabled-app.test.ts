// Sylk's warning text for a disabled app.
import { describe, expect, it } from 'vitest';
import { describeDisabledApp } from './describe-disabled-app.js';

describe('describeDisabledApp', () => {
  it("writes Sylk's warning", () => {
    expect(describeDisabledApp({ section: 's', appId: 'com.x', appType: 'sylk', platform: 'apple', reason: 'r' })).toBe(
      'Sylk app with com.x id for apple platform will not be available, reason: r',
    );
  });

  it('names the section when the app cannot be named', () => {
    expect(
      describeDisabledApp({
        section: 's',
        appId: null,
        appType: 'sylk',
        platform: 'apple',
        reason: 'app_id not found in applications.ini',
      }),
    ).toBe('Application in section [s] will not be available, reason: app_id not found in applications.ini');
  });
});
