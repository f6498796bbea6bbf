// The one logger factory: pino JSON, secrets redacted, optional file copy.
import { pino, type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';
import { redactLogFields } from './redact-log.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Service name on every line (`ingest`, `worker`, ...). */
  name: string;
  /** Default `info`; `debug` when Sylk's `--debug` / `[server] debug` is set. */
  level?: string;
  /** Also append to this file (Sylk's `log_to_file` / `log_file`). */
  file?: string | null;
  /** Where lines go; default stdout. Tests pass a stream to read lines back. */
  destination?: DestinationStream;
}

/**
 * Lines are written in batches of about 4 KiB, and at least every 100 ms: a push logs three lines, and one
 * write system call per line was a measurable part of a push's CPU (bench profile, test/bench/RESULTS.md).
 * The price: a line may appear up to 100 ms late, and a process killed with SIGKILL loses its last 100 ms of
 * lines (a normal exit, a crash or SIGTERM flushes them).
 */
const BATCHED = { sync: false, minLength: 4096, periodicFlush: 100 } as const;

export function createLogger(options: LoggerOptions): Logger {
  const targets: DestinationStream[] = [options.destination ?? pino.destination({ fd: 1, ...BATCHED })];
  if (options.file) targets.push(pino.destination({ dest: options.file, mkdir: true, ...BATCHED }));
  const stream =
    targets.length === 1 ? targets[0]! : pino.multistream(targets.map((s) => ({ stream: s, level: 'trace' as const })));
  const logger = pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      // Redaction at the formatter step, not pino's `redact` paths: those must list every depth with
      // wildcards (`*.*.key`), and then every field of every line goes through the path matcher (the
      // largest CPU cost of a push, bench profile). Fields are searched at any depth, in any case.
      formatters: { log: redactLogFields },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
  // Child bindings skip pino's formatters: they are redacted on the way in. Children are made with
  // Object.create(parent), so every descendant inherits this `child`.
  type ChildFn = (this: unknown, bindings: Bindings, options?: ChildLoggerOptions) => unknown;
  const pinoChild = logger.child as unknown as ChildFn;
  const redactingChild: ChildFn = function (bindings, childOptions) {
    return pinoChild.call(this, redactLogFields(bindings), childOptions);
  };
  logger.child = redactingChild as unknown as Logger['child'];
  return logger;
}
