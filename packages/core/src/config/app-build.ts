// What the per-platform app builders share: the common part of an app, the context, setting lookup.
import type { AppleAppConfig } from './types.js';

/** The fields every app has, worked out before the platform-specific part. */
export type AppBase = Omit<AppleAppConfig, 'platform' | 'pushHost' | 'pushPort' | 'auth' | 'voip'>;

export interface AppBuildContext {
  /** Directory every credential file name is taken relative to. */
  credentialsDir: string;
  /** Receives non-fatal notes (expired certificate, legacy FCM key, ...). */
  warn: (message: string) => void;
}

/** A setting's value, with an empty value counted as not set. */
export function setting(values: ReadonlyMap<string, string>, name: string): string | undefined {
  const value = values.get(name);
  return value === undefined || value === '' ? undefined : value;
}
