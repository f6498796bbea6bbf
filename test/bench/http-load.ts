// Load generator (child process): POSTs JSON pushes to Pushwire's ingest over keep-alive HTTP/1.1.
import { Pool } from 'undici';
import { runBounded } from './bounded-run.js';
import { serveBenchCommands } from './child-rpc.js';
import type { LoadRun } from './load-types.js';

/** One run against ingest: every body is `body` with its `idField` set to the request's id. */
export interface HttpLoadRun extends LoadRun {
  origin: string;
  path: string;
  body: Record<string, unknown>;
  idField: string;
  /** The status a successful answer has (202 async, 200 sync). */
  expectedStatus: number;
}

const pools = new Map<string, Pool>();

async function run(command: HttpLoadRun) {
  // One connection per concurrent caller, reused across runs: connection setup is not what is measured.
  const key = `${command.origin}#${command.concurrency}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool(command.origin, { connections: command.concurrency, pipelining: 1 });
    pools.set(key, pool);
  }
  const client = pool;
  return runBounded(command.count, command.concurrency, command.expectedStatus, async (i) => {
    const body = JSON.stringify({ ...command.body, [command.idField]: `${command.idPrefix}-${i}` });
    const res = await client.request({
      method: 'POST',
      path: command.path,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      problem: res.statusCode === command.expectedStatus ? undefined : text.slice(0, 300),
    };
  });
}

serveBenchCommands(
  (command) => run(command as HttpLoadRun),
  async () => {
    await Promise.all([...pools.values()].map((p) => p.close()));
  },
);
