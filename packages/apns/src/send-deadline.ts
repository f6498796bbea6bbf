// The time budget of one APNs send: its own timeout joined with the caller's abort signal.
import { raceAbort } from '@pushwire/core';

export class SendDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly outer: AbortSignal | undefined;
  private readonly onOuterAbort = (): void => this.controller.abort(new Error('aborted'));

  /**
   * @param timeoutMs budget of the whole send, ms.
   * @param outer the caller's signal (deadline, shutdown); aborting it ends the send as `aborted`.
   */
  constructor(timeoutMs: number, outer: AbortSignal | undefined) {
    this.timer = setTimeout(() => {
      this.controller.abort(new Error(`Timeout: no answer from APNs within ${timeoutMs} ms`));
    }, timeoutMs);
    this.outer = outer;
    if (outer?.aborted) this.onOuterAbort();
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Settles like `work`, or rejects with the abort reason as soon as the budget is spent. */
  race<T>(work: Promise<T>): Promise<T> {
    return raceAbort(work, this.controller.signal);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}
