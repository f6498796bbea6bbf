// The app types Pushwire knows: adding one is a folder under src/ and one line here.
import type { AppType } from './app-type.js';
import { linphone } from './linphone/index.js';
import { sylk } from './sylk/index.js';

export const APP_TYPES: Readonly<Record<string, AppType>> = Object.freeze({
  sylk,
  linphone,
});

/** Case-insensitive, as Sylk lower-cases `app_type`; undefined for an unknown type (the config disables the app). */
export function getAppType(name: string): AppType | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(APP_TYPES, key) ? APP_TYPES[key] : undefined;
}

/** Names for messages such as "unknown app_type 'x' (known: sylk, linphone)". */
export function appTypeNames(): string[] {
  return Object.keys(APP_TYPES);
}
