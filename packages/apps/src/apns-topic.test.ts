// APNs topic base: which app-id suffixes Sylk strips.
import { describe, expect, it } from 'vitest';
import { apnsBaseTopic } from './apns-topic.js';

describe('apnsBaseTopic', () => {
  it('drops a trailing .dev label', () => {
    expect(apnsBaseTopic('com.agprojects.sylk-ios.dev')).toBe('com.agprojects.sylk-ios');
  });
  it('drops a trailing .prod label', () => {
    expect(apnsBaseTopic('com.agprojects.sylk-ios.prod')).toBe('com.agprojects.sylk-ios');
  });
  it('keeps an app-id without such a label', () => {
    expect(apnsBaseTopic('com.agprojects.sylk-ios')).toBe('com.agprojects.sylk-ios');
  });
  it('drops one label only', () => {
    expect(apnsBaseTopic('com.x.dev.prod')).toBe('com.x.dev');
  });
  it('needs the dot: a label merely ending in dev or prod stays', () => {
    expect(apnsBaseTopic('com.xdev')).toBe('com.xdev');
    expect(apnsBaseTopic('com.x.reprod')).toBe('com.x.reprod');
  });
  it('is case-sensitive like Sylk', () => {
    expect(apnsBaseTopic('com.x.DEV')).toBe('com.x.DEV');
  });
  it('keeps a .voip label (only .dev and .prod are stripped)', () => {
    expect(apnsBaseTopic('com.x.voip')).toBe('com.x.voip');
    expect(apnsBaseTopic('com.x.voip.dev')).toBe('com.x.voip');
  });
});
