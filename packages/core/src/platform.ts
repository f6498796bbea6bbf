// Push platforms and Sylk's platform aliases (resources/utils.py::fix_platform_name).
export const PLATFORMS = ['apple', 'firebase', 'huawei', 'webpush'] as const;
export type Platform = (typeof PLATFORMS)[number];

const ALIASES: Readonly<Record<string, Platform>> = {
  apple: 'apple',
  ios: 'apple',
  apns: 'apple',
  firebase: 'firebase',
  android: 'firebase',
  fcm: 'firebase',
  huawei: 'huawei',
  hms: 'huawei',
  webpush: 'webpush',
  web: 'webpush',
};

/** Every name a request may give a platform (the platforms and their aliases), for the request schemas. */
export const PLATFORM_NAMES = Object.keys(ALIASES) as [string, ...string[]];

/** Case-sensitive like Sylk: an unknown value passes through unchanged (and later fails the app lookup). */
export function normalizePlatform(value: string): string {
  return ALIASES[value] ?? value;
}

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

/** `Apple` / `Firebase`, as Sylk writes it in messages and logs. */
export function platformLabel(platform: string): string {
  return platform.charAt(0).toUpperCase() + platform.slice(1);
}
