// Pushwire's local token file: readable JSON `{"version":1,"accounts":{"<account>":{"<app>-<device>":{...}}}}`.
import { errorMessage } from '@pushwire/core';
import { fromStoredRecord, InvalidStoredRecordError, recordKey, toStoredRecord } from './stored-record.js';
import type { DeviceRecord } from './token-storage.js';

/** Account → record key → device. Maps, so no account name can reach an object prototype. */
export type TokenFileAccounts = Map<string, Map<string, DeviceRecord>>;

export const TOKEN_FILE_VERSION = 1;

export function parseTokenFile(text: string, path: string): TokenFileAccounts {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InvalidStoredRecordError(path, `not JSON (${errorMessage(error)})`);
  }
  if (!isObject(document)) throw new InvalidStoredRecordError(path, 'not a JSON object');
  if (document.version !== TOKEN_FILE_VERSION) {
    throw new InvalidStoredRecordError(
      path,
      `unsupported version ${JSON.stringify(document.version)} (expected ${TOKEN_FILE_VERSION})`,
    );
  }
  const accounts = document.accounts;
  if (!isObject(accounts)) throw new InvalidStoredRecordError(path, '"accounts" is not an object');
  const result: TokenFileAccounts = new Map();
  for (const [account, records] of Object.entries(accounts)) {
    if (!isObject(records)) throw new InvalidStoredRecordError(`${path} ${account}`, 'not an object');
    const devices = new Map<string, DeviceRecord>();
    for (const [key, value] of Object.entries(records)) {
      const where = `${path} ${account} ${key}`;
      const device = fromStoredRecord(value, where);
      // The key is derived; a hand edit that breaks it would make the device unreachable by DELETE.
      if (key !== recordKey(device.appId, device.deviceId))
        throw new InvalidStoredRecordError(where, 'key is not "<app_id>-<device_id>"');
      devices.set(key, device);
    }
    if (devices.size > 0) result.set(account, devices);
  }
  return result;
}

/**
 * Accounts sorted, each account's devices in registration order (the order v2 pushes go out in), indented and
 * newline-terminated, so the file diffs well and reads easily.
 */
export function serializeTokenFile(accounts: TokenFileAccounts): string {
  const sortedEntries = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // fromEntries defines own properties, so even an account named "__proto__" is written as data.
  const document = {
    version: TOKEN_FILE_VERSION,
    accounts: Object.fromEntries(
      sortedEntries(accounts)
        .filter(([, devices]) => devices.size > 0)
        .map(([account, devices]) => [
          account,
          Object.fromEntries([...devices.entries()].map(([key, d]) => [key, toStoredRecord(d)])),
        ]),
    ),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
