// v2 token storage in one local JSON file, for single-host setups without Redis persistence or Cassandra.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isTempFileOf, writeFileAtomic } from './atomic-write.js';
import { acquireFileLock, errorCode } from './file-lock.js';
import { recordKey } from './stored-record.js';
import { parseTokenFile, serializeTokenFile, type TokenFileAccounts } from './token-file.js';
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

export interface FileTokenStorageOptions {
  /** The JSON file (created on the first add, with its directory). `<path>.lock` is its lock file. */
  path: string;
  /** How long a change waits for another process holding the lock, ms. Default 5000. */
  lockTimeoutMs?: number;
  /**
   * Age past which a lock (or a temp file) is treated as abandoned even if its process looks alive, ms.
   * Default 60 000. Dead holders on this host are detected at once by their pid.
   */
  staleAfterMs?: number;
}

/**
 * Reads go straight to the file (renames make every read see one whole version). Changes are read-modify-
 * write under two guards: a promise queue orders this instance's changes, and the lock file orders them
 * against other processes and instances.
 */
export class FileTokenStorage implements TokenStorage {
  readonly kind = 'file' as const;
  readonly path: string;
  private readonly lockPath: string;
  private readonly lockTimeoutMs: number;
  private readonly staleAfterMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private swept = false;

  constructor(options: FileTokenStorageOptions) {
    this.path = options.path;
    this.lockPath = `${options.path}.lock`;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    this.staleAfterMs = options.staleAfterMs ?? 60_000;
  }

  async add(account: string, device: DeviceRecord, options?: AddOptions): Promise<void> {
    const max = deviceLimit(options);
    // Counted under the lock, with the write: two registrations racing cannot both pass the limit.
    const added = await this.change((accounts) => {
      const devices = accounts.get(account) ?? new Map<string, DeviceRecord>();
      const key = recordKey(device.appId, device.deviceId);
      if (!devices.has(key) && devices.size >= max) return { result: false, changed: false };
      devices.set(key, { ...device });
      accounts.set(account, devices);
      return { result: true, changed: true };
    });
    if (!added) throw new DeviceLimitError(account, max);
  }

  async devices(account: string): Promise<DeviceRecord[]> {
    const accounts = await this.guard(() => this.load());
    // Map order is insertion order and a re-registration keeps its place: Sylk's dict semantics.
    return [...(accounts.get(account)?.values() ?? [])];
  }

  async remove(account: string, appId: string, deviceId: string, options: RemoveOptions = {}): Promise<RemoveResult> {
    return this.change((accounts) => {
      const devices = accounts.get(account);
      if (!devices || devices.size === 0) return { result: 'user-not-found' as const, changed: false };
      const key = recordKey(appId, deviceId);
      const device = devices.get(key);
      const token = options.onlyIfToken;
      // Sylk's `<app>-<device>` key is ambiguous when ids contain '-': the record's own ids must match too.
      const same = device !== undefined && device.appId === appId && device.deviceId === deviceId;
      if (!same || (token !== undefined && device.token !== token && device.backgroundToken !== token)) {
        return { result: 'not-found' as const, changed: false };
      }
      devices.delete(key);
      if (devices.size === 0) accounts.delete(account);
      return { result: 'removed' as const, changed: true };
    });
  }

  async *accounts(): AsyncIterable<string> {
    const accounts = await this.guard(() => this.load());
    for (const account of [...accounts.keys()].sort()) yield account;
  }

  /** Waits for this instance's pending changes. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private async load(): Promise<TokenFileAccounts> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return new Map();
      throw error;
    }
    return parseTokenFile(text, this.path);
  }

  private change<T>(apply: (accounts: TokenFileAccounts) => { result: T; changed: boolean }): Promise<T> {
    const run = this.queue.then(() => this.guard(() => this.changeLocked(apply)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async changeLocked<T>(apply: (accounts: TokenFileAccounts) => { result: T; changed: boolean }): Promise<T> {
    await mkdir(dirname(this.path), { recursive: true });
    const lock = await acquireFileLock(this.lockPath, {
      timeoutMs: this.lockTimeoutMs,
      staleAfterMs: this.staleAfterMs,
    });
    try {
      if (!this.swept) await this.sweepTempFiles();
      const accounts = await this.load();
      const { result, changed } = apply(accounts);
      if (changed) {
        const mode = await stat(this.path).then(
          (s) => s.mode & 0o777,
          () => 0o600,
        );
        await writeFileAtomic(this.path, serializeTokenFile(accounts), {
          mode,
          // Last check that nobody took the lock over (it looked stale to them): better fail than overwrite.
          beforeCommit: async () => {
            if (!(await lock.held())) throw new Error(`lost the lock ${this.lockPath} before writing`);
          },
        });
      }
      return result;
    } finally {
      await lock.release();
    }
  }

  /** Temp files of writers that crashed before their rename are garbage; load never reads them. */
  private async sweepTempFiles(): Promise<void> {
    this.swept = true;
    const dir = dirname(this.path);
    for (const name of await readdir(dir)) {
      if (!isTempFileOf(this.path, name)) continue;
      const file = join(dir, name);
      const info = await stat(file).catch(() => null);
      if (info && Date.now() - info.mtimeMs > this.staleAfterMs) await rm(file, { force: true });
    }
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw error instanceof StorageUnavailableError ? error : new StorageUnavailableError('file', error);
    }
  }
}

/** Pushwire's file in Sylk's spool directory (beside Sylk's own `webrtc_device_tokens`). */
export function defaultTokenFilePath(spoolDir: string): string {
  return join(spoolDir, TOKEN_FILE_NAME);
}

export const TOKEN_FILE_NAME = 'pushwire-tokens.json';
