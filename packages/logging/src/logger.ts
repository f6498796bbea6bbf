// The one logger factory: pino JSON, secrets redacted by configuration, optional file copy.
import { pino, type Logger, type DestinationStream } from 'pino';
import { pinoRedactPaths, REDACTED } from './redact.js';

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

export function createLogger(options: LoggerOptions): Logger {
  const targets: DestinationStream[] = [options.destination ?? pino.destination({ fd: 1, sync: false })];
  if (options.file) targets.push(pino.destination({ dest: options.file, mkdir: true, sync: false }));
  const stream = targets.length === 1 ? targets[0]! : pino.multistream(targets.map((s) => ({ stream: s, level: 'trace' as const })));
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: pinoRedactPaths(), censor: REDACTED },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}
