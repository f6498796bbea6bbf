// Undo lists for the bench: whatever a scenario started is stopped, on success, failure or Ctrl-C.
type Closer = { name: string; close: () => Promise<unknown> };

/** Every list still open, so a signal can close them all. */
const open = new Set<Closer[]>();

/**
 * Bound on one closer: a stuck one must not keep the others (or the exit) waiting. Above the 30 s Pushwire
 * allows itself for a graceful shutdown, so a stack normally closes in full (its Redis included).
 */
const CLOSE_TIMEOUT_MS = 45_000;

let interrupted = false;

/** True once a signal asked the bench to stop: the signal handler owns the exit from then on. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/**
 * Runs `body` with a `defer` that registers closers; they run in reverse order when `body` ends, however
 * it ends, and also when the process is interrupted (see {@link closeEverythingOnSignals}).
 */
export async function withCleanup<T>(body: (defer: (name: string, close: () => Promise<unknown>) => void) => Promise<T>): Promise<T> {
  const closers: Closer[] = [];
  open.add(closers);
  try {
    return await body((name, close) => closers.push({ name, close }));
  } finally {
    await closeAll(closers);
    open.delete(closers);
  }
}

async function closeAll(closers: Closer[]): Promise<void> {
  // Splicing makes a second call (signal during a normal close) skip what is already being closed.
  for (const closer of closers.splice(0).reverse()) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        closer.close(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`still closing after ${CLOSE_TIMEOUT_MS} ms`)), CLOSE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      process.stderr.write(`bench: closing ${closer.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** On SIGINT/SIGTERM: close everything still open, then exit with 128 + the signal's number. */
export function closeEverythingOnSignals(): void {
  const handle = (signal: NodeJS.Signals, code: number) => {
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}, stopping everything it started\n`);
    void Promise.all([...open].map(closeAll)).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => handle('SIGINT', 130));
  process.once('SIGTERM', () => handle('SIGTERM', 143));
}
