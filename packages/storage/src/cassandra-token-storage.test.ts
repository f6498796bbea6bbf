import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JavaMissingError, startCassandra, type LocalCassandra } from '../../../test/harness/cassandra.js';
import { InvalidAccountError } from './account.js';
import { createCassandraSchema } from './cassandra-schema.js';
import { CassandraTokenStorage } from './cassandra-token-storage.js';
import {
  describeTokenStorageConcurrency,
  describeTokenStorageContract,
  device,
} from './test-support/token-storage-contract.js';
import { StorageUnavailableError } from './token-storage.js';

const KEYSPACE = 'pushwire_test';
const dir = mkdtempSync(join(tmpdir(), 'pushwire-cassandra-'));
let server: LocalCassandra;
let admin: cassandra.Client;

beforeAll(async () => {
  server = await startCassandra({ dir });
  const statements = await createCassandraSchema({ contactPoints: [server.contactPoint], keyspace: KEYSPACE });
  expect(statements[0]).toMatch(/SimpleStrategy.*'replication_factor': '1'/);
  admin = new cassandra.Client({ contactPoints: [server.contactPoint], localDataCenter: 'datacenter1' });
}, 120_000);

afterAll(async () => {
  await admin?.shutdown();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function openStorage(): CassandraTokenStorage {
  return new CassandraTokenStorage({ contactPoints: [server.contactPoint], keyspace: KEYSPACE });
}

async function mobileDevicesRow(account: string): Promise<string | null> {
  const result = await admin.execute(
    `SELECT opensipsval FROM ${KEYSPACE}.mobile_devices WHERE opensipskey = ?`,
    [account],
    { prepare: true },
  );
  return result.rowLength > 0 ? (result.first().opensipsval as string) : null;
}

async function openCassandraBackend() {
  return {
    storage: openStorage(),
    async accountMarked(account: string) {
      const value = await mobileDevicesRow(account);
      if (value !== null) expect(value).toBe('1');
      return value !== null;
    },
  };
}

describeTokenStorageContract('cassandra', openCassandraBackend, 'clustering');
describeTokenStorageConcurrency('cassandra', openCassandraBackend, {
  concurrencyTimeoutMs: 60_000,
  atomicDeviceLimit: false,
});

describe("CassandraTokenStorage on Sylk's schema", () => {
  it("creates the schema idempotently, with the columns of Sylk's cqlengine models", async () => {
    await createCassandraSchema({ contactPoints: [server.contactPoint], keyspace: KEYSPACE, replicationFactor: 1 });
    const columns = await admin.execute(
      'SELECT column_name, validator, type FROM system.schema_columns WHERE keyspace_name = ? AND columnfamily_name = ?',
      [KEYSPACE, 'push_tokens'],
    );
    const shape = Object.fromEntries(
      columns.rows.map((r) => [
        r.column_name as string,
        `${r.type as string} ${(r.validator as string).replace('org.apache.cassandra.db.marshal.', '')}`,
      ]),
    );
    expect(shape).toEqual({
      username: 'partition_key UTF8Type',
      domain: 'partition_key UTF8Type',
      device_id: 'clustering_key UTF8Type',
      app_id: 'clustering_key UTF8Type',
      background_token: 'regular UTF8Type',
      device_token: 'regular UTF8Type',
      platform: 'regular UTF8Type',
      silent: 'regular UTF8Type',
      user_agent: 'regular UTF8Type',
    });
  });

  it("writes rows as Sylk does: split account, text silent flag, mobile_devices = '1'", async () => {
    const storage = openStorage();
    try {
      await storage.add('alice@sylk.example.com', device({ deviceId: 'd1', silent: false }));
      const row = (
        await admin.execute(
          `SELECT * FROM ${KEYSPACE}.push_tokens WHERE username = ? AND domain = ?`,
          ['alice', 'sylk.example.com'],
          { prepare: true },
        )
      ).first();
      expect({ ...row }).toEqual({
        username: 'alice',
        domain: 'sylk.example.com',
        device_id: 'd1',
        app_id: 'com.example.sylk-ios',
        device_token: 'voip0123',
        background_token: 'apns4567',
        platform: 'apple',
        silent: '0',
        user_agent: 'Sylk/5.8 iOS',
      });
      expect(await mobileDevicesRow('alice@sylk.example.com')).toBe('1');
    } finally {
      await storage.close();
    }
  });

  it('reads rows that Sylk Pushserver and SylkServer wrote (aliases normalised, unusable rows left out)', async () => {
    const insert = `INSERT INTO ${KEYSPACE}.push_tokens (username, domain, device_id, app_id, device_token, background_token, platform, silent, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    const rows: (string | null)[][] = [
      [
        'dave',
        'legacy.example.com',
        '8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1',
        'com.agprojects.sylk-ios',
        'aa11',
        'bb22',
        'ios',
        '1',
        null,
      ],
      ['dave', 'legacy.example.com', 'dev-2', 'com.agprojects.sylk', 'fcm-x', null, 'android', '0', 'SylkServer'],
      ['dave', 'legacy.example.com', 'dev-3', 'com.agprojects.sylk', 'x', null, 'windows', '1', null],
      ['dave', 'legacy.example.com', 'dev-4', 'com.agprojects.sylk', null, null, 'firebase', null, null],
    ];
    for (const row of rows) await admin.execute(insert, row, { prepare: true });
    const storage = openStorage();
    try {
      // In the table's clustering order (device_id, app_id), as Sylk reads it.
      expect(await storage.devices('dave@legacy.example.com')).toEqual([
        {
          appId: 'com.agprojects.sylk-ios',
          platform: 'apple',
          deviceId: '8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1',
          token: 'aa11',
          backgroundToken: 'bb22',
          silent: true,
          userAgent: null,
        },
        {
          appId: 'com.agprojects.sylk',
          platform: 'firebase',
          deviceId: 'dev-2',
          token: 'fcm-x',
          backgroundToken: null,
          silent: false,
          userAgent: 'SylkServer',
        },
      ]);
      // A row Pushwire cannot push to can still be removed by its ids.
      expect(await storage.remove('dave@legacy.example.com', 'com.agprojects.sylk', 'dev-3')).toBe('removed');
    } finally {
      await storage.close();
    }
  });

  it('rejects an account without user@domain with InvalidAccountError (a 400, not a storage failure)', async () => {
    const storage = openStorage();
    try {
      for (const account of ['alice', '@example.com', 'alice@']) {
        await expect(storage.add(account, device())).rejects.toBeInstanceOf(InvalidAccountError);
        await expect(storage.devices(account)).rejects.toBeInstanceOf(InvalidAccountError);
        await expect(storage.remove(account, 'a', 'b')).rejects.toBeInstanceOf(InvalidAccountError);
      }
      // Split at the first '@' only.
      await storage.add('a@b@example.com', device({ deviceId: 'x' }));
      const row = (
        await admin.execute(
          `SELECT username, domain FROM ${KEYSPACE}.push_tokens WHERE username = ? AND domain = ?`,
          ['a', 'b@example.com'],
          { prepare: true },
        )
      ).first();
      expect(row.domain).toBe('b@example.com');
    } finally {
      await storage.close();
    }
  });

  it('fails with StorageUnavailableError when no contact point answers, writing nothing', async () => {
    const down = new CassandraTokenStorage({
      contactPoints: ['127.0.0.1'],
      port: 1,
      keyspace: KEYSPACE,
      requestTimeoutMs: 1000,
    });
    try {
      await expect(down.add('ghost@down.example.com', device())).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(down.devices('ghost@down.example.com')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(down.remove('ghost@down.example.com', 'a', 'b')).rejects.toMatchObject({ backend: 'cassandra' });
    } finally {
      await down.close();
    }
    const storage = openStorage();
    try {
      expect(await storage.devices('ghost@down.example.com')).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('fails with StorageUnavailableError when the keyspace does not exist', async () => {
    const storage = new CassandraTokenStorage({ contactPoints: [server.contactPoint], keyspace: 'no_such_keyspace' });
    try {
      await expect(storage.devices('alice@example.com')).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await storage.close();
    }
  });
});

describe('startCassandra', () => {
  it('fails with a clear message when Java is missing', async () => {
    const error = await startCassandra({ dir: join(dir, 'no-java'), java: join(dir, 'no-such-java') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JavaMissingError);
    expect((error as Error).message).toMatch(/need Java 17 .*apt-get install -y openjdk-17-jre-headless/);
  });
});

// Last: stops the file's server.
describe('CassandraTokenStorage when the cluster goes away', () => {
  it('fails with StorageUnavailableError instead of hanging', async () => {
    const storage = new CassandraTokenStorage({
      contactPoints: [server.contactPoint],
      keyspace: KEYSPACE,
      requestTimeoutMs: 2000,
    });
    try {
      await storage.add('late@example.com', device());
      await server.stop();
      await expect(storage.devices('late@example.com')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(storage.add('late@example.com', device({ deviceId: 'd2' }))).rejects.toBeInstanceOf(
        StorageUnavailableError,
      );
    } finally {
      await storage.close();
    }
  });
});
