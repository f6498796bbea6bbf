export * from './token-storage.js';
export { normalizeDeviceId, legacyStrippedDeviceId } from './device-id.js';
export { InvalidAccountError, splitAccount, type AccountParts } from './account.js';
export { recordKey, InvalidStoredRecordError, type StoredRecord } from './stored-record.js';
export { RedisTokenStorage, type RedisTokenStorageOptions } from './redis-token-storage.js';
export { CassandraTokenStorage } from './cassandra-token-storage.js';
export type { CassandraTokenStorageOptions, CassandraConsistency } from './cassandra-options.js';
export { createCassandraSchema, cassandraSchemaStatements, type CassandraSchemaOptions } from './cassandra-schema.js';
export { FileTokenStorage, defaultTokenFilePath, TOKEN_FILE_NAME, type FileTokenStorageOptions } from './file-token-storage.js';
export { LockTimeoutError } from './file-lock.js';
export {
  readSylkPickle, sylkPickleFilePath, SYLK_PICKLE_FILE_NAME, SylkPickleError,
  type SylkPickleEntry, type SkippedPickleEntry, type ReadSylkPickleOptions,
} from './sylk-pickle.js';
export {
  createTokenStorage, type TokenStorageSelection, type CreatedTokenStorage,
} from './create-token-storage.js';
