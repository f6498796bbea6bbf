// Creates the keyspace and Sylk's two tables when asked (the `pushwire` CLI's job, like sylk-pushserver-db).
import {
  cqlIdentifier,
  createCassandraClient,
  resolveCassandraOptions,
  type CassandraTokenStorageOptions,
} from './cassandra-options.js';

export interface CassandraSchemaOptions extends CassandraTokenStorageOptions {
  /**
   * Replication of a keyspace that does not exist yet (an existing one is left as it is).
   * Default `{ class: 'SimpleStrategy', replication_factor: 1 }`, as sylk-pushserver-db.
   */
  replication?: Readonly<Record<string, string | number>>;
  /** Shorthand for `{ class: 'SimpleStrategy', replication_factor: N }`; `replication` wins when both are set. */
  replicationFactor?: number;
}

/** What was run, for the CLI to print. Every statement is `IF NOT EXISTS`: running it twice changes nothing. */
export async function createCassandraSchema(options: CassandraSchemaOptions): Promise<string[]> {
  const resolved = resolveCassandraOptions(options);
  const replication = options.replication ?? {
    class: 'SimpleStrategy',
    replication_factor: options.replicationFactor ?? 1,
  };
  if (
    options.replicationFactor !== undefined &&
    !(Number.isInteger(options.replicationFactor) && options.replicationFactor >= 1)
  ) {
    throw new RangeError(`replicationFactor must be a whole number ≥ 1, not ${options.replicationFactor}`);
  }
  const statements = cassandraSchemaStatements(resolved.keyspace, resolved.table, replication);
  const client = createCassandraClient(resolved);
  try {
    for (const statement of statements) await client.execute(statement, [], { prepare: false });
  } finally {
    await client.shutdown();
  }
  return statements;
}

/** Sylk's cqlengine models (pushserver/models/cassandra.py), column for column. */
export function cassandraSchemaStatements(
  keyspace: string,
  table: string,
  replication: Readonly<Record<string, string | number>> = { class: 'SimpleStrategy', replication_factor: 1 },
): string[] {
  const ks = cqlIdentifier(keyspace, 'keyspace');
  const tokens = `${ks}.${cqlIdentifier(table, 'table')}`;
  const map = Object.entries(replication)
    .map(([key, value]) => `${quote(key)}: ${quote(String(value))}`)
    .join(', ');
  return [
    `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {${map}}`,
    `CREATE TABLE IF NOT EXISTS ${tokens} (username text, domain text, device_id text, app_id text, ` +
      'background_token text, device_token text, platform text, silent text, user_agent text, ' +
      'PRIMARY KEY ((username, domain), device_id, app_id))',
    `CREATE TABLE IF NOT EXISTS ${ks}.mobile_devices (opensipskey text PRIMARY KEY, opensipsval text)`,
  ];
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
