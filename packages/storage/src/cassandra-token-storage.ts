// v2 token storage in Cassandra, on Sylk's schema, so Pushwire, Sylk Pushserver and SylkServer share one cluster.
import type cassandra from 'cassandra-driver';
import { isPlatform, normalizePlatform } from '@pushwire/core';
import { InvalidAccountError, splitAccount, type AccountParts } from './account.js';
import { cassandraStatements, type CassandraStatements } from './cassandra-statements.js';
import {
  createCassandraClient,
  isCasTimeout,
  resolveCassandraOptions,
  type CassandraTokenStorageOptions,
} from './cassandra-options.js';
import { parseSilentFlag } from './silent-flag.js';
import {
  deviceLimit,
  DeviceLimitError,
  StorageUnavailableError,
  type AddOptions,
  type DeviceRecord,
  type RemoveOptions,
  type RemoveResult,
  type TokenStorage,
} from './token-storage.js';

/** Rounds of "write mobile_devices, re-read the devices" before giving up on an account that keeps changing. */
const MAX_SYNC_ROUNDS = 10;
/** Attempts of a device delete whose lightweight transaction timed out in Paxos contention. */
const MAX_CAS_ATTEMPTS = 5;
const PAGE_SIZE = 1000;

type DeleteOutcome = 'applied' | 'absent' | 'mismatch';

/**
 * Adds are plain upserts and removes are lightweight transactions, as in Sylk, so both tables stay usable by
 * Sylk Pushserver and SylkServer. Like theirs, this relies on the clocks of clients and Cassandra nodes being
 * in sync (NTP): a plain write's client timestamp and a transaction's ballot decide which of two writes to
 * one row wins.
 */
export class CassandraTokenStorage implements TokenStorage {
  readonly kind = 'cassandra' as const;
  private readonly client: cassandra.Client;
  private readonly cql: CassandraStatements;

  constructor(options: CassandraTokenStorageOptions) {
    const resolved = resolveCassandraOptions(options);
    this.client = createCassandraClient(resolved);
    this.cql = cassandraStatements(resolved.keyspace, resolved.table);
  }

  async add(account: string, device: DeviceRecord, options?: AddOptions): Promise<void> {
    const parts = splitAccount(account);
    const max = deviceLimit(options);
    // Device first, then the mark (as Sylk). Should the mark fail, the call fails too and a retried add,
    // being an upsert, completes it.
    await this.guard(async () => {
      // Cassandra has no condition on a partition's row count: the limit is checked just before the write.
      if (Number.isFinite(max) && (await this.refusesNewDevice(parts, device, max)))
        throw new DeviceLimitError(account, max);
      await this.client.execute(this.cql.insertDevice, [
        parts.username,
        parts.domain,
        device.deviceId,
        device.appId,
        device.token,
        device.backgroundToken,
        device.platform,
        device.silent ? '1' : '0',
        device.userAgent,
      ]);
      await this.syncMobileDevices(account, parts, true);
    });
  }

  /** True when the account holds `max` devices or more and not this one. */
  private async refusesNewDevice(parts: AccountParts, device: DeviceRecord, max: number): Promise<boolean> {
    let held = 0;
    for await (const row of this.rows(this.cql.selectDevices, [parts.username, parts.domain])) {
      if (row.device_id === device.deviceId && row.app_id === device.appId) return false;
      held += 1;
    }
    return held >= max;
  }

  async devices(account: string): Promise<DeviceRecord[]> {
    const parts = splitAccount(account);
    return this.guard(async () => {
      const devices: DeviceRecord[] = [];
      for await (const row of this.rows(this.cql.selectDevices, [parts.username, parts.domain])) {
        const device = rowToDevice(row);
        if (device) devices.push(device);
      }
      // As Sylk reads them: the table's clustering order (device_id, app_id).
      return devices;
    });
  }

  async remove(account: string, appId: string, deviceId: string, options: RemoveOptions = {}): Promise<RemoveResult> {
    const parts = splitAccount(account);
    return this.guard(async () => {
      const removed = await this.deleteDevice([parts.username, parts.domain, deviceId, appId], options.onlyIfToken);
      if (!removed) return (await this.hasDevices(parts)) ? 'not-found' : 'user-not-found';
      await this.syncMobileDevices(account, parts, await this.hasDevices(parts));
      return 'removed';
    });
  }

  async *accounts(): AsyncIterable<string> {
    // DISTINCT can still list a partition whose rows were all deleted (until compaction drops the tombstones).
    const candidates = this.guardIterable(this.rows(this.cql.selectAccounts, []));
    for await (const row of candidates) {
      const parts: AccountParts = { username: String(row.username), domain: String(row.domain) };
      if (await this.guard(() => this.hasDevices(parts))) yield `${parts.username}@${parts.domain}`;
    }
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }

  /**
   * Keeps `mobile_devices` = '1' exactly while the account has devices, against concurrent adds and removes
   * from any process. Sylk's "delete the row when the account looks empty" loses a race: an add that writes
   * its device after that look and its row before the delete is left with devices but no row. Here every
   * change of the row is a lightweight transaction (so the last one to finish is the one that counts, whatever
   * the writers' clocks), and whoever changes or confirms the row re-reads the devices afterwards and goes
   * round again if they changed meanwhile. After the last device write, whichever operation touches the row
   * last sees the final devices, so the row ends up agreeing with them. Adds to an account that already has
   * its row cost one extra read and no transaction.
   */
  private async syncMobileDevices(account: string, parts: AccountParts, hasDevices: boolean): Promise<void> {
    let expected = hasDevices;
    for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
      const marked = (await this.client.execute(this.cql.selectMobileDevice, [account])).rowLength > 0;
      let settled = true;
      if (marked !== expected) {
        try {
          await this.client.execute(expected ? this.cql.insertMobileDevice : this.cql.deleteMobileDevice, [account]);
        } catch (error) {
          if (!isCasTimeout(error)) throw error;
          settled = false; // outcome unknown: read the row again next round
        }
      }
      const now = await this.hasDevices(parts);
      if (settled && now === expected) return;
      expected = now;
    }
    throw new Error(`mobile_devices row of ${account} still changing after ${MAX_SYNC_ROUNDS} rounds`);
  }

  /**
   * True when this call removed the row. A delete that timed out in Paxos contention may have been applied;
   * if a retry then finds the row gone, that delete is taken to be ours.
   */
  private async deleteDevice(key: string[], onlyIfToken: string | undefined): Promise<boolean> {
    let uncertain = false;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      try {
        const outcome = await this.tryDelete(key, onlyIfToken);
        return outcome === 'applied' || (uncertain && outcome === 'absent');
      } catch (error) {
        if (!isCasTimeout(error)) throw error;
        uncertain = true;
      }
    }
    throw new Error(`device delete still contended after ${MAX_CAS_ATTEMPTS} attempts`);
  }

  private async tryDelete(key: string[], onlyIfToken: string | undefined): Promise<DeleteOutcome> {
    if (onlyIfToken === undefined) {
      return (await this.client.execute(this.cql.deleteDevice, key)).wasApplied() ? 'applied' : 'absent';
    }
    // A failed condition answers with the current value; no such column means no such row.
    const byToken = await this.client.execute(this.cql.deleteDeviceIfToken, [...key, onlyIfToken]);
    if (byToken.wasApplied()) return 'applied';
    if (!hasColumn(byToken, 'device_token')) return 'absent';
    const byBackground = await this.client.execute(this.cql.deleteDeviceIfBackgroundToken, [...key, onlyIfToken]);
    if (byBackground.wasApplied()) return 'applied';
    return hasColumn(byBackground, 'background_token') ? 'mismatch' : 'absent';
  }

  private async hasDevices(parts: AccountParts): Promise<boolean> {
    return (await this.client.execute(this.cql.anyDevice, [parts.username, parts.domain])).rowLength > 0;
  }

  private async *rows(query: string, params: string[]): AsyncGenerator<cassandra.types.Row> {
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(query, params, { fetchSize: PAGE_SIZE, pageState });
      yield* result.rows;
      pageState = result.pageState ?? undefined;
    } while (pageState);
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw unavailable(error);
    }
  }

  private async *guardIterable<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
    try {
      yield* source;
    } catch (error) {
      throw unavailable(error);
    }
  }
}

/** Every failure of the cluster, the connection or the bookkeeping is "storage unavailable" (HTTP 503). */
function unavailable(error: unknown): unknown {
  if (
    error instanceof StorageUnavailableError ||
    error instanceof InvalidAccountError ||
    error instanceof DeviceLimitError
  )
    return error;
  return new StorageUnavailableError('cassandra', error);
}

function hasColumn(result: cassandra.types.ResultSet, name: string): boolean {
  return result.columns.some((column) => column.name === name);
}

/**
 * Rows may come from Sylk Pushserver or SylkServer: platform aliases (`ios`, `android`) are normalised, a row
 * on a platform Pushwire cannot push to (or without a token) is left out, and `silent` is Sylk's text flag.
 */
function rowToDevice(row: cassandra.types.Row): DeviceRecord | null {
  const platform = normalizePlatform(String(row.platform ?? ''));
  const token: unknown = row.device_token;
  if (!isPlatform(platform) || typeof token !== 'string') return null;
  return {
    appId: String(row.app_id),
    platform,
    deviceId: String(row.device_id),
    token,
    backgroundToken: typeof row.background_token === 'string' ? row.background_token : null,
    silent: parseSilentFlag(row.silent),
    userAgent: typeof row.user_agent === 'string' ? row.user_agent : null,
  };
}
