// `@pushwire/storage/cassandra`: the Cassandra backend and its schema, a subpath of its own so that only a
// process configured for Cassandra (or a `pushwire tokens` command that needs it) loads cassandra-driver.
export { CassandraTokenStorage } from './cassandra-token-storage.js';
export type { CassandraTokenStorageOptions, CassandraConsistency } from './cassandra-options.js';
export { createCassandraSchema, cassandraSchemaStatements, type CassandraSchemaOptions } from './cassandra-schema.js';
