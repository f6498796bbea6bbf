// Chooses the v2 token storage as Sylk does (docs/decisions/0006-token-storage.md): Cassandra when configured, else Redis or the local file.
import { access } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { CassandraConfig } from '@pushwire/core';
import type { CassandraTokenStorageOptions } from './cassandra-options.js';
import { defaultTokenFilePath, FileTokenStorage, type FileTokenStorageOptions } from './file-token-storage.js';
import { RedisTokenStorage } from './redis-token-storage.js';
import { sylkPickleFilePath } from './sylk-pickle-path.js';
import type { TokenStorage } from './token-storage.js';

export interface TokenStorageSelection {
  /** general.ini `[Cassandra]`; with contact points it wins over everything else, as in Sylk. */
  cassandra: CassandraConfig | null;
  /** `PUSHWIRE_TOKEN_STORAGE` when Cassandra is not configured. Default `redis`. */
  backend?: 'redis' | 'file';
  /** Sylk's `spool_dir`: home of the local file and of a Sylk pickle to import. */
  spoolDir: string;
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  /** The Redis is a Cluster (RedisTokenStorage's `cluster`). Default false. */
  cluster?: boolean;
  /** Driver settings beyond general.ini (port, consistency, timeouts). */
  cassandraOptions?: Omit<CassandraTokenStorageOptions, 'contactPoints' | 'keyspace' | 'table'>;
  /** Lock settings of the local file. */
  fileOptions?: Omit<FileTokenStorageOptions, 'path'>;
  /** Required when the choice is Redis; the caller keeps owning it (`close()` leaves it open). */
  redis?: Redis;
}

export interface CreatedTokenStorage {
  storage: TokenStorage;
  /** For the start log: a Sylk pickle waiting to be imported into an empty storage, with the command to do it. */
  warning: string | null;
}

export async function createTokenStorage(selection: TokenStorageSelection): Promise<CreatedTokenStorage> {
  const cassandra = selection.cassandra;
  if (cassandra && cassandra.contactPoints.length > 0) {
    // Loaded here, not at the top: a process on Redis or file storage never loads cassandra-driver.
    const { CassandraTokenStorage } = await import('./cassandra-token-storage.js');
    const storage = new CassandraTokenStorage({
      ...selection.cassandraOptions,
      contactPoints: cassandra.contactPoints,
      keyspace: cassandra.keyspace,
      table: cassandra.table,
    });
    return { storage, warning: null };
  }
  let storage: TokenStorage;
  if ((selection.backend ?? 'redis') === 'file') {
    storage = new FileTokenStorage({ ...selection.fileOptions, path: defaultTokenFilePath(selection.spoolDir) });
  } else {
    if (!selection.redis) throw new TypeError('createTokenStorage: the Redis backend needs a redis connection');
    storage = new RedisTokenStorage({
      redis: selection.redis,
      prefix: selection.prefix,
      cluster: selection.cluster ?? false,
    });
  }
  return { storage, warning: await pickleWarning(storage, selection.spoolDir) };
}

/**
 * Someone moving from Sylk (pickle storage) to Pushwire would otherwise start with no devices and not know
 * why. Only said while Pushwire's storage is empty: once anything is stored, the pickle is history. A storage
 * that cannot be read now says nothing here; its own errors surface on first use.
 */
async function pickleWarning(storage: TokenStorage, spoolDir: string): Promise<string | null> {
  const pickle = sylkPickleFilePath(spoolDir);
  const exists = await access(pickle).then(
    () => true,
    () => false,
  );
  if (!exists) return null;
  if (!(await isEmpty(storage).catch(() => false))) return null;
  return (
    `A Sylk token file ${pickle} exists but the ${storage.kind} token storage is empty: ` +
    `import its devices with \`pushwire tokens import ${pickle}\``
  );
}

async function isEmpty(storage: TokenStorage): Promise<boolean> {
  for await (const _account of storage.accounts()) return false;
  return true;
}
