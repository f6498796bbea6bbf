// The child side of the bench's JSON-lines protocol: commands arrive on stdin, replies leave on stdout.
import { createInterface } from 'node:readline';

/** Marks the lines that are replies, so anything else a library prints on stdout is ignored. */
export const REPLY_MARK = '@@bench ';

/** One reply; id 0 announces that the child is ready for commands. */
export interface BenchReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/**
 * Runs `handle` for each command, one at a time, in arrival order. When the parent closes stdin the child
 * runs `close` and exits; if a command is still running then (the bench is being interrupted, or died),
 * it exits at once: a load generator must never outlive the run it belongs to.
 */
export function serveBenchCommands(handle: (command: unknown) => Promise<unknown>, close: () => Promise<void>): void {
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  let running = 0;
  lines.on('line', (line) => {
    running += 1;
    queue = queue.then(async () => {
      let id = -1;
      try {
        const message = JSON.parse(line) as { id: number; command: unknown };
        id = message.id;
        reply({ id, ok: true, result: await handle(message.command) });
      } catch (error) {
        reply({ id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      } finally {
        running -= 1;
      }
    });
  });
  lines.once('close', () => {
    if (running > 0) process.exit(0);
    void close()
      .catch((error: unknown) => process.stderr.write(`closing failed: ${String(error)}\n`))
      .finally(() => process.exit(0));
  });
  reply({ id: 0, ok: true, result: 'ready' });
}

function reply(message: BenchReply): void {
  process.stdout.write(`${REPLY_MARK}${JSON.stringify(message)}\n`);
}
