// Waits on an observable condition (a count reaching its target), never on a guessed duration.

export interface WaitOptions {
  /** Give up after this long, ms. Default 30 000. */
  timeoutMs?: number;
  /** Describes the current state for the failure message. */
  describe?: () => string;
}

export async function waitUntil(check: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${options.describe ? `: ${options.describe()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
