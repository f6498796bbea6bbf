// The JSON form of a device record in Redis and the local file: Sylk's own field names, so a dump reads like
// Sylk's pickle (`app_id`, `platform`, `token`, `background_token`, `device_id`, `silent`, `user_agent`).
import { isPlatform } from '@pushwire/core';
import type { DeviceRecord } from './token-storage.js';

export interface StoredRecord {
  app_id: string;
  platform: string;
  token: string;
  background_token: string | null;
  device_id: string;
  silent: boolean;
  user_agent: string | null;
}

/** Sylk's record key inside an account: `<app-id>-<device-id>`. */
export function recordKey(appId: string, deviceId: string): string {
  return `${appId}-${deviceId}`;
}

export function toStoredRecord(device: DeviceRecord): StoredRecord {
  return {
    app_id: device.appId,
    platform: device.platform,
    token: device.token,
    background_token: device.backgroundToken,
    device_id: device.deviceId,
    silent: device.silent,
    user_agent: device.userAgent,
  };
}

/** Only Pushwire writes these records, so anything off-shape is corruption: reported, never guessed at. */
export function fromStoredRecord(value: unknown, where: string): DeviceRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidStoredRecordError(where, 'not an object');
  const r = value as Record<string, unknown>;
  const text = (name: string): string => {
    const v = r[name];
    if (typeof v !== 'string') throw new InvalidStoredRecordError(where, `${name} is not a string`);
    return v;
  };
  const optionalText = (name: string): string | null => {
    const v = r[name];
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') throw new InvalidStoredRecordError(where, `${name} is neither a string nor null`);
    return v;
  };
  const platform = text('platform');
  if (!isPlatform(platform)) throw new InvalidStoredRecordError(where, `unknown platform '${platform}'`);
  if (typeof r.silent !== 'boolean') throw new InvalidStoredRecordError(where, 'silent is not a boolean');
  return {
    appId: text('app_id'),
    platform,
    deviceId: text('device_id'),
    token: text('token'),
    backgroundToken: optionalText('background_token'),
    silent: r.silent,
    userAgent: optionalText('user_agent'),
  };
}

/** The interface promises a stable order: by record key, as a plain code-unit comparison. */
export function sortByRecordKey(devices: DeviceRecord[]): DeviceRecord[] {
  return devices
    .map((device) => ({ device, key: recordKey(device.appId, device.deviceId) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ device }) => device);
}

export class InvalidStoredRecordError extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`invalid device record at ${where}: ${problem}`);
    this.name = 'InvalidStoredRecordError';
  }
}
