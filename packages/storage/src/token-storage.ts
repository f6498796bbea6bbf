// v2 token storage: one small interface, three backends (Redis default, Cassandra on Sylk's schema, local file).
import { errorMessage } from '@pushwire/core';
import type { Platform } from '@pushwire/core';

/** One registered device of an account; the record key is `<app-id>-<device-id>` as in Sylk. */
export interface DeviceRecord {
  appId: string;
  platform: Platform;
  /** Normalised device id (see normalizeDeviceId in the v2 API). */
  deviceId: string;
  /** Apple: the VoIP (PushKit) token, the part before the first `-`; Firebase: the token. */
  token: string;
  /** Apple: the regular APNs token (after the first `-`), used for cancel/message/transfer; else null. */
  backgroundToken: string | null;
  silent: boolean;
  userAgent: string | null;
}

export type RemoveResult = 'removed' | 'not-found' | 'user-not-found';

export interface RemoveOptions {
  /**
   * Remove only while the stored token is still this one: a dead-token removal must not delete a device that
   * re-registered with a fresh token meanwhile. Matches the stored `token` or `backgroundToken` (a dead
   * token may be either: Apple cancel and message pushes go to the background token). A mismatch answers
   * `not-found` and leaves the device in place.
   */
  onlyIfToken?: string;
}

export interface AddOptions {
  /**
   * Refuse a new device ({@link DeviceLimitError}, nothing stored) when the account already holds this many;
   * replacing a device it holds is always allowed. Checked atomically with the write on Redis and the file;
   * on Cassandra just before it (two registrations racing may each pass). Default: no limit.
   */
  maxDevices?: number;
}

export interface TokenStorage {
  readonly kind: 'redis' | 'cassandra' | 'file';
  /** Insert or replace the device `<appId>-<deviceId>` of `account` (atomic; concurrent adds never lose one). */
  add(account: string, device: DeviceRecord, options?: AddOptions): Promise<void>;
  /**
   * Every device of the account, [] when unknown, in the order Sylk iterates them (v2 pushes go out and are
   * answered in it; the status is the last device's): registration order (Redis, file; a re-registration
   * keeps its place), or the table's clustering order (device_id, app_id) for Cassandra, as Sylk reads it.
   */
  devices(account: string): Promise<DeviceRecord[]>;
  /** Remove one device; the account itself disappears with its last device. */
  remove(account: string, appId: string, deviceId: string, options?: RemoveOptions): Promise<RemoveResult>;
  /** Every account with at least one device (for the CLI and migrations). */
  accounts(): AsyncIterable<string>;
  close(): Promise<void>;
}

/** The backend cannot be reached or failed: nothing was (half-)written; answered 503. */
export class StorageUnavailableError extends Error {
  constructor(
    readonly backend: TokenStorage['kind'],
    cause: unknown,
  ) {
    super(`${backend} token storage unavailable: ${errorMessage(cause)}`, { cause });
    this.name = 'StorageUnavailableError';
  }
}

/** The account already holds `maxDevices` devices: a new one was refused and nothing was stored. */
export class DeviceLimitError extends Error {
  constructor(
    readonly account: string,
    readonly maxDevices: number,
  ) {
    super(`account ${account} already holds the maximum of ${maxDevices} devices`);
    this.name = 'DeviceLimitError';
  }
}

/** A limit as the backends compare it: none (Infinity) unless a whole number was given. */
export function deviceLimit(options: AddOptions | undefined): number {
  const max = options?.maxDevices;
  if (max === undefined) return Number.POSITIVE_INFINITY;
  if (!(Number.isInteger(max) && max >= 1))
    throw new RangeError(`maxDevices must be a whole number of at least 1, got ${max}`);
  return max;
}
