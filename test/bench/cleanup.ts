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

/** Thrown by `defer` once the bench is interrupted: what was just started is closed, nothing more starts. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

/**
 * Runs `body` with a `defer` that registers closers; they run in reverse order when `body` ends, however
 * it ends, and also when the process is interrupted (see {@link closeEverythingOnSignals}).
 */
export async function withCleanup<T>(
  body: (defer: (name: string, close: () => Promise<unknown>) => void) => Promise<T>,
): Promise<T> {
  const closers: Closer[] = [];
  open.add(closers);
  try {
    return await body((name, close) => {
      closers.push({ name, close });
      // Something that was starting when the signal came is registered only now: stop here, close it.
      if (interrupted) throw new InterruptedError(`interrupted; closing ${name}`);
    });
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
      process.stderr.write(
        `bench: closing ${closer.name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Bound on waiting for the run to wind down after a signal (it closes what it was still starting). */
const WIND_DOWN_MS = 60_000;

/** A repeat of the signal within this time is the same Ctrl-C delivered twice (terminal group + tsx relay). */
const REPEAT_GRACE_MS = 2_000;

/**
 * On SIGINT/SIGTERM: close everything open (so the running scenario fails fast), wait for `run` to settle
 * (whatever was still starting gets closed by its own `withCleanup`), then exit with 128 + the signal number.
 * A second signal later than {@link REPEAT_GRACE_MS} exits at once.
 */
export function closeEverythingOnSignals(run: Promise<unknown>): void {
  let firstAt = 0;
  const handle = async (signal: NodeJS.Signals, code: number) => {
    if (interrupted) {
      if (Date.now() - firstAt > REPEAT_GRACE_MS) process.exit(code);
      return;
    }
    interrupted = true;
    firstAt = Date.now();
    process.stderr.write(`\nbench: ${signal}, stopping everything it started (again to exit at once)\n`);
    await Promise.all([...open].map(closeAll));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      run.catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, WIND_DOWN_MS))),
    ]);
    clearTimeout(timer);
    await Promise.all([...open].map(closeAll));
    process.exit(code);
  };
  process.on('SIGINT', () => void handle('SIGINT', 130));
  process.on('SIGTERM', () => void handle('SIGTERM', 143));
}
