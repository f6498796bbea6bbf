// `pushwire tokens list|add|remove|import|create-schema`: the equivalent of Sylk's sylk-pushserver-db.
import { parseArgs } from 'node:util';
import { isPlatform, normalizePlatform, PLATFORMS } from '@pushwire/core';
import { createLogger } from '@pushwire/logging';
import { normalizeDeviceId, type TokenStorage } from '@pushwire/storage';
import { splitToken } from '@pushwire/ingest';
import { UsageError } from '../cli-args.js';
import { loadCliConfig } from '../cli-config.js';
import { openTokenStorage } from '../storage-from-config.js';

export const TOKENS_USAGE = `Usage: pushwire tokens <command> [--config_dir DIR] [options]
  list [ACCOUNT]                        accounts, or one account's devices (JSON lines)
  add ACCOUNT --app-id ID --platform P --token T --device-id D [--silent true|false] [--user-agent UA]
  remove ACCOUNT --app-id ID --device-id D
  import FILE                           import Sylk's pickle token file (webrtc_device_tokens)
  create-schema [--replication-factor N] create the Cassandra keyspace and tables (Cassandra storage only)
Storage as --config_dir DIR (or PUSHWIRE_CONFIG_DIR) chooses; without one, Redis from REDIS_URL and
PUSHWIRE_PREFIX (the sandbox's prefix when a sandbox was run from here and PUSHWIRE_PREFIX is unset).`;

type Out = (line: string) => void;

export async function tokensCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Out = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config_dir: { type: 'string' },
      'app-id': { type: 'string' },
      platform: { type: 'string' },
      token: { type: 'string' },
      'device-id': { type: 'string' },
      silent: { type: 'string', default: 'true' },
      'user-agent': { type: 'string' },
      'replication-factor': { type: 'string', default: '1' },
    },
  });
  const [sub, arg] = positionals;
  const { config, where } = loadCliConfig(values.config_dir, env);
  const logger = createLogger({ name: 'pushwire-tokens', level: 'warn', destination: process.stderr });

  if (sub === 'create-schema') {
    if (!config.cassandra)
      throw new UsageError('create-schema needs [Cassandra] cluster_contact_points in general.ini');
    // Loaded only here (and by Cassandra storage itself): no other command loads cassandra-driver.
    const { createCassandraSchema } = await import('@pushwire/storage/cassandra');
    await createCassandraSchema({ ...config.cassandra, replicationFactor: Number(values['replication-factor']) });
    out(`created keyspace ${config.cassandra.keyspace} with tables ${config.cassandra.table} and mobile_devices`);
    return 0;
  }

  const storage = await openTokenStorage(config, env, logger);
  try {
    switch (sub) {
      case 'list':
        return await list(storage, arg, out, where);
      case 'add': {
        const account = required(arg, 'ACCOUNT');
        const platform = normalizePlatform(required(values.platform, '--platform'));
        if (!isPlatform(platform))
          throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')} (or an alias), not ${platform}`);
        await storage.add(account, {
          ...splitToken(platform, required(values.token, '--token')),
          appId: required(values['app-id'], '--app-id'),
          platform,
          deviceId: normalizeDeviceId(required(values['device-id'], '--device-id')),
          silent: values.silent !== 'false' && values.silent !== '0',
          userAgent: values['user-agent'] ?? null,
        });
        out(`added ${values['device-id']} to ${account}`);
        return 0;
      }
      case 'remove': {
        const account = required(arg, 'ACCOUNT');
        const result = await storage.remove(
          account,
          required(values['app-id'], '--app-id'),
          normalizeDeviceId(required(values['device-id'], '--device-id')),
        );
        out(result);
        return result === 'removed' ? 0 : 1;
      }
      case 'import': {
        // The pickle parser is needed by this command only.
        const { readSylkPickle } = await import('@pushwire/storage/sylk-pickle');
        const records = await readSylkPickle(required(arg, 'FILE'));
        for (const { account, device } of records) await storage.add(account, device);
        out(`imported ${records.length} device(s) into ${storage.kind} storage`);
        return 0;
      }
      default:
        throw new UsageError(`unknown tokens command: ${sub ?? '(none)'}\n\n${TOKENS_USAGE}`);
    }
  } finally {
    await storage.close();
  }
}

async function list(storage: TokenStorage, account: string | undefined, out: Out, where: string): Promise<number> {
  let found = 0;
  const emit = (line: string) => {
    found += 1;
    out(line);
  };
  if (account) for (const d of await storage.devices(account)) emit(JSON.stringify(d));
  else for await (const a of storage.accounts()) emit(a);
  // Said where it looked, so an empty answer from the wrong Redis or prefix is not mistaken for "none".
  if (found === 0 && storage.kind === 'redis')
    process.stderr.write(`no ${account ? 'device' : 'account'} found in ${where}\n`);
  return 0;
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`missing ${name}\n\n${TOKENS_USAGE}`);
  return value;
}
