// `pushwire calls show <call-id>`: a call's history read straight from Redis, as a timeline or as the API's JSON.
import { parseArgs } from 'node:util';
import { errorMessage, redactUrlPassword } from '@pushwire/core';
import { buildPushViews, CallHistory, callHistoryJson, type PushView } from '@pushwire/queue';
import { connectRedis, isClusterUrl } from '@pushwire/redis';
import { UsageError } from '../cli-args.js';
import { loadCliConfig } from '../cli-config.js';
import { printable, printableJson } from '../terminal-text.js';

export const CALLS_USAGE = `Usage: pushwire calls show CALL-ID [--json] [--config_dir DIR]
  show CALL-ID   every push of the call: request, attempts with the push service's answers, policy
                 outcomes, result, and each job's page on the board (/admin). --json: GET /v1/calls's answer.
Reads REDIS_URL and PUSHWIRE_PREFIX (the sandbox's prefix when a sandbox was run from here and
PUSHWIRE_PREFIX is unset), and general.ini's [admin] with --config_dir.`;

/** Board links are paths on the ingest (same login as /v1/calls). */
const BOARD_PATH = '/admin';

type Out = (line: string) => void;

export async function callsCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Out = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      config_dir: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(CALLS_USAGE);
    return 0;
  }
  const [sub, callId, ...extra] = positionals;
  if (sub !== 'show' || callId === undefined || extra.length > 0)
    throw new UsageError(`expected: calls show CALL-ID\n\n${CALLS_USAGE}`);

  const { config, where } = loadCliConfig(values.config_dir, env);
  const settings = config.pushwire;
  // Fail fast with a clear message instead of waiting for a Redis that is not there.
  // The services' topology and TLS trust (PUSHWIRE_REDIS_CA), so the command reads whatever Redis they use.
  const redis = connectRedis(settings, {
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect().catch((error: unknown) => {
      throw new Error(`Redis at ${redactUrlPassword(settings.redisUrl)} is not reachable: ${errorMessage(error)}`);
    });
    // The reader needs no TTL of its own; any positive value will do. The request comes from its job, so the
    // configured redaction applies here too.
    const reader = new CallHistory(redis, {
      prefix: settings.prefix,
      ttlMs: 1,
      cluster: isClusterUrl(settings.redisUrl),
      redactContent: config.admin?.redactContent === true,
    });
    const records = await reader.read(callId);
    const pushes = buildPushViews(records, BOARD_PATH);
    if (pushes.length === 0) {
      process.stderr.write(
        `no pushes recorded for call-id ${printableJson(JSON.stringify(callId))} in ${printable(where)} (unknown, or older than the retention)\n`,
      );
      return 1;
    }
    if (values.json) out(printableJson(JSON.stringify(callHistoryJson(callId, pushes), null, 2)));
    else for (const line of timeline(callId, pushes)) out(line);
    return 0;
  } finally {
    redis.disconnect();
  }
}

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ');

/** The readable form: one block per push, one line per event, oldest first. Whatever came from Redis is escaped. */
export function timeline(callId: string, pushes: readonly PushView[]): string[] {
  const t = (value: string | number | null) => printable(String(value ?? '?'));
  const lines = [
    `call ${printableJson(JSON.stringify(callId))}: ${pushes.length} push${pushes.length === 1 ? '' : 'es'}`,
  ];
  pushes.forEach((p, i) => {
    const target =
      p.api === 'v2' ? `account ${t(p.account)} device ${t(p.deviceId)}` : p.deviceId ? `device ${t(p.deviceId)}` : '';
    lines.push(
      '',
      `#${i + 1} ${t(p.status.toUpperCase())}  ${t(p.api)} ${t(p.event)} → ${t(p.appId)} (${t(p.platform)}) ${target}`.trimEnd(),
    );
    lines.push(`   job ${t(p.jobId)} on ${t(p.queue)}   board: ${t(p.board)}`);
    const token = typeof p.request?.token === 'string' ? p.request.token : null;
    if (token) lines.push(`   token ${t(token)}`);
    if (p.acceptedAt !== null) {
      const deadline = p.deadlineAt === null ? '' : `, deadline ${time(p.deadlineAt)}`;
      const again = p.timesAccepted > 1 ? `, same request accepted ${p.timesAccepted} times (one job)` : '';
      lines.push(`   ${time(p.acceptedAt)}  accepted${deadline}${again}`);
    }
    for (const a of p.attempts) {
      const what = a.sent ? `${t(a.code)}${a.reason ? ` ${t(a.reason)}` : ''}` : `not sent: ${t(a.reason)}`;
      const after = a.retryAfterMs === null ? '' : `, Retry-After ${t(a.retryAfterMs)} ms`;
      lines.push(`   ${time(a.at)}  attempt ${t(a.attempt)}: ${what} (${t(a.outcome)}${after})`);
    }
    if (p.result) {
      lines.push(
        `   ${time(p.result.at)}  result: ${t(p.result.outcome)} ${t(p.result.code)}${p.result.reason ? ` ${t(p.result.reason)}` : ''}`,
      );
    }
  });
  return lines;
}
