// A real logger whose lines the tests read back and wait on.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@pushwire/logging';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  lines: LogLine[];
  /** Resolves with the first line (already written or to come) matching; rejects after `timeoutMs`. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export function captureLog(): CapturedLog {
  const lines: LogLine[] = [];
  const events = new EventEmitter();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split('\n')) {
        if (text === '') continue;
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        events.emit('line', line);
      }
      done();
    },
  });
  const logger = createLogger({ name: 'log-sinks-test', level: 'debug', destination });

  function waitForLine(match: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    const found = lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onLine = (line: LogLine) => {
        if (!match(line)) return;
        clearTimeout(timer);
        events.off('line', onLine);
        resolve(line);
      };
      const timer = setTimeout(() => {
        events.off('line', onLine);
        reject(new Error(`no matching log line after ${timeoutMs} ms; got:\n${lines.map((l) => l.msg).join('\n')}`));
      }, timeoutMs);
      events.on('line', onLine);
    });
  }
  return { logger, lines, waitForLine };
}
