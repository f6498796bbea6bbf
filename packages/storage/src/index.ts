export * from './token-storage.js';
export { normalizeDeviceId, legacyStrippedDeviceId } from './device-id.js';
export { InvalidAccountError, splitAccount, type AccountParts } from './account.js';
export { recordKey, InvalidStoredRecordError, type StoredRecord } from './stored-record.js';
export { RedisTokenStorage, type RedisTokenStorageOptions } from './redis-token-storage.js';
// The Cassandra backend (`@pushwire/storage/cassandra`) and the Sylk pickle reader (`@pushwire/storage/sylk-pickle`)
// are subpaths of their own: importing this index never loads cassandra-driver or the pickle parser.
export type { CassandraTokenStorageOptions, CassandraConsistency } from './cassandra-options.js';
export {
  FileTokenStorage,
  defaultTokenFilePath,
  TOKEN_FILE_NAME,
  type FileTokenStorageOptions,
} from './file-token-storage.js';
export { LockTimeoutError } from './file-lock.js';
export { sylkPickleFilePath, SYLK_PICKLE_FILE_NAME } from './sylk-pickle-path.js';
export type { SylkPickleEntry, SkippedPickleEntry, ReadSylkPickleOptions } from './sylk-pickle.js';
export {
  createTokenStorage,
  type TokenStorageSelection,
  type CreatedTokenStorage,
} from './create-token-storage.js';
