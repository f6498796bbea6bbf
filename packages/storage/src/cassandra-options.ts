// Settings and the driver client shared by the Cassandra token storage and its schema creation.
import cassandra from 'cassandra-driver';

export type CassandraConsistency = 'one' | 'localOne' | 'quorum' | 'localQuorum' | 'eachQuorum' | 'all';

export interface CassandraTokenStorageOptions {
  /** `[Cassandra] cluster_contact_points`: hosts, each optionally `host:port`. */
  contactPoints: string[];
  /** `[Cassandra] keyspace`. */
  keyspace: string;
  /** `[Cassandra] table`, shared with Sylk Pushserver and SylkServer. Default `push_tokens`. */
  table?: string;
  /** Data center of the contact points (the driver requires it). Default `datacenter1`. */
  localDataCenter?: string;
  /**
   * Consistency of reads and writes. Default `localQuorum` (Sylk's driver defaults to `localOne`): the
   * mobile_devices bookkeeping re-reads the account after writing, and only quorum writes and reads make
   * another coordinator's write visible to that re-read. With replication factor 1 both are the same.
   * Writers in several data centers at once want `quorum` (and `serialConsistency: 'serial'`).
   */
  consistency?: CassandraConsistency;
  /** Consistency of the Paxos phase of lightweight transactions. Default `localSerial`. */
  serialConsistency?: 'serial' | 'localSerial';
  /** CQL port for contact points given without one. Default 9042. */
  port?: number;
  /** Bound on connecting and on each request, ms. Default 5000. */
  requestTimeoutMs?: number;
}

export interface ResolvedCassandraOptions {
  contactPoints: string[];
  keyspace: string;
  table: string;
  localDataCenter: string;
  consistency: CassandraConsistency;
  serialConsistency: 'serial' | 'localSerial';
  port: number;
  requestTimeoutMs: number;
}

export function resolveCassandraOptions(options: CassandraTokenStorageOptions): ResolvedCassandraOptions {
  if (options.contactPoints.length === 0) throw new RangeError('Cassandra needs at least one contact point');
  const resolved: ResolvedCassandraOptions = {
    contactPoints: [...options.contactPoints],
    keyspace: cqlIdentifier(options.keyspace, 'keyspace'),
    table: cqlIdentifier(options.table ?? 'push_tokens', 'table'),
    localDataCenter: options.localDataCenter ?? 'datacenter1',
    consistency: options.consistency ?? 'localQuorum',
    serialConsistency: options.serialConsistency ?? 'localSerial',
    port: options.port ?? 9042,
    requestTimeoutMs: options.requestTimeoutMs ?? 5000,
  };
  if (!(resolved.requestTimeoutMs > 0)) throw new RangeError('requestTimeoutMs must be positive');
  return resolved;
}

/**
 * Keyspace and table names go into CQL text (they cannot be bind markers), so only plain identifiers are
 * accepted; unquoted, CQL folds them to lower case, as cqlengine's names are.
 */
export function cqlIdentifier(name: string, what: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,47}$/.test(name)) {
    throw new RangeError(`Cassandra ${what} name '${name}' must be a letter then up to 47 letters, digits or '_'`);
  }
  return name.toLowerCase();
}

/** No keyspace on the connection: statements name it, so a missing keyspace fails the query, not the connect. */
export function createCassandraClient(options: ResolvedCassandraOptions): cassandra.Client {
  const { consistencies } = cassandra.types;
  return new cassandra.Client({
    contactPoints: options.contactPoints,
    localDataCenter: options.localDataCenter,
    protocolOptions: { port: options.port },
    socketOptions: { connectTimeout: options.requestTimeoutMs, readTimeout: options.requestTimeoutMs },
    queryOptions: {
      consistency: consistencies[options.consistency],
      serialConsistency: consistencies[options.serialConsistency],
      prepare: true,
    },
  });
}

/** Failures of the cluster or the connection (as opposed to a bug in the caller). */
export function isDriverError(error: unknown): boolean {
  return error instanceof cassandra.errors.DriverError;
}

/**
 * A lightweight transaction that lost the Paxos race past `cas_contention_timeout`: its outcome is unknown,
 * and Cassandra's advice is to read and try again.
 */
export function isCasTimeout(error: unknown): boolean {
  return (
    error instanceof cassandra.errors.ResponseError &&
    error.code === cassandra.types.responseErrorCodes.writeTimeout &&
    (error as { writeType?: unknown }).writeType === 'CAS'
  );
}
