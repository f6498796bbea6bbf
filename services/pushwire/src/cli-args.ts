// The command line: Sylk's flags (docs/decisions/0004-command-line.md) plus a subcommand.
import { errorMessage } from '@pushwire/core';
import { parseArgs } from 'node:util';

export interface CliArgs {
  command: string[];
  configDir: string | null;
  ip: string | null;
  port: number | null;
  debug: boolean;
  /** Sylk's `--no-fork` (log to the console): Pushwire always logs JSON to stdout; accepted for compatibility. */
  noFork: boolean;
  help: boolean;
  /** `config check --live`: also prove each app's credentials against its push service. */
  live: boolean;
}

export const USAGE = `Usage: pushwire [command] [--config_dir DIR] [--ip IP] [--port PORT] [--debug] [--no-fork]

Commands:
  start          ingest + worker in one process (default). Without --config_dir: the sandbox
                 (local emulators, sample apps) on an embedded or local Redis.
  ingest         the HTTP API only (scale it separately)
  worker         the delivery workers only (scale them separately)
  config check   validate a config directory; exits 1 if anything is wrong or an app is disabled
                 --live: also prove each app's credentials against APNs/FCM, notifying nobody
  tokens ...     manage v2 device tokens (list, add, remove, import a Sylk pickle, create-schema)
  push ...       send a push as Sylk's sylk-pushclient does (same options, output, exit codes); push -h
  push-v2 ...    register/remove/push to an account as sylk-pushclient-v2 does; push-v2 -h
  calls show ID  a call's push history (attempts, push service answers, results, board links); --json
  keys new|hash  make a caller API key and its general.ini section; hash a key read from stdin

Options (as Sylk Pushserver's):
  --config_dir DIR   directory with general.ini, applications.ini and credentials/
                     (default: $PUSHWIRE_CONFIG_DIR; for start, the sandbox when unset)
  --ip IP            listen address, overrides [server] host
  --port PORT        listen port, overrides [server] port
  --debug            debug logging (outgoing headers are redacted, bodies shown)
  --no-fork          accepted for compatibility (Pushwire logs JSON to stdout)

Environment: REDIS_URL (default redis://127.0.0.1:6379; also rediss://, redis+sentinel://s1,s2/<name>,
redis+cluster://n1,n2), REDIS_CLUSTER_NODES, PUSHWIRE_REDIS_MIN_REPLICAS, PUSHWIRE_REDIS_CA,
PUSHWIRE_SYNC_WAIT_MS, PUSHWIRE_RETRY_BASE_MS, PUSHWIRE_PREFIX, PUSHWIRE_MAX_BODY_BYTES,
PUSHWIRE_WORKER_CONCURRENCY, PUSHWIRE_MAX_QUEUE_DEPTH, PUSHWIRE_MAX_DEVICES_PER_ACCOUNT, PUSHWIRE_CIRCUIT_THRESHOLD,
PUSHWIRE_CIRCUIT_COOLDOWN_MS, PUSHWIRE_METRICS_PORT, PUSHWIRE_METRICS_ON_MAIN_PORT, PUSHWIRE_WORKER_HTTP_PORT, PUSHWIRE_HEADERS_TIMEOUT_MS,
PUSHWIRE_REQUEST_TIMEOUT_MS, PUSHWIRE_KEEPALIVE_TIMEOUT_MS, PUSHWIRE_MAX_CONNECTIONS, PUSHWIRE_ADMIN_USER,
PUSHWIRE_ADMIN_PASSWORD, PUSHWIRE_REQUIRE_KEY, PUSHWIRE_TRUSTED_PROXIES, PUSHWIRE_API_KEY (push, push-v2),
PUSHWIRE_TOKEN_STORAGE, PUSHWIRE_CONFIG_DIR, PUSHWIRE_HOME. See docs/configuration.md.`;

export class UsageError extends Error {}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const parsed = parseOrUsage(argv);
  const { values, positionals } = parsed;
  let port: number | null = null;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port: not a port number: ${values.port}`);
  }
  return {
    command: positionals.length ? positionals : ['start'],
    configDir: values.config_dir ?? env.PUSHWIRE_CONFIG_DIR ?? null,
    ip: values.ip ?? null,
    port,
    debug: values.debug ?? false,
    noFork: values['no-fork'] ?? false,
    help: values.help ?? false,
    live: values.live ?? false,
  };
}

function parseOrUsage(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config_dir: { type: 'string' },
        ip: { type: 'string' },
        port: { type: 'string' },
        debug: { type: 'boolean', default: false },
        'no-fork': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        live: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}
