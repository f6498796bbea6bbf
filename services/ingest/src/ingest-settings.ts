// The settings a configuration reload changes, served to each request as one immutable snapshot: a request
// reads the same answer mode, access list, apps and delivery policy from its first line to its answer, and a
// replaced policy is closed only once the last request using it has finished.
import type { AppTypeRules, Platform } from '@pushwire/core';
import type { IngestPolicy } from '@pushwire/queue';
import type { Context, MiddlewareHandler } from 'hono';
import type { AccessList } from './access-list.js';
import type { CallerPolicy } from './callers/caller-policy.js';

export interface DisabledApp {
  section: string;
  appId: string | null;
  platform: string | null;
  reason: string;
}

export interface IngestSettings {
  /** Sylk's `return_async`: true = wait for the push service (default). */
  readonly returnAsync: boolean;
  readonly accessList: AccessList;
  lookupApp(appId: string, platform: Platform): AppTypeRules | undefined;
  /** Apps left out by config errors, for /readyz. */
  readonly disabledApps: readonly DisabledApp[];
  /** How many apps are served: with none, every push is refused, so /readyz answers 503. */
  readonly enabledApps: number;
  /**
   * Delivery policy (`createIngestPolicy`): call deadlines stamped on jobs, cancel markers, admission control.
   * Absent: none of them at ingest (workers still apply each app's call deadline).
   */
  readonly policy?: IngestPolicy;
  /**
   * API keys (their app scopes and rates), whether one is required, and the proxies whose X-Forwarded-For is
   * believed. Absent: no keys and no trusted proxy (callers/caller-policy.ts `NO_CALLERS`).
   */
  readonly callers?: CallerPolicy;
}

declare module 'hono' {
  interface ContextVariableMap {
    ingestSettings: IngestSettings;
  }
}

interface Generation {
  readonly settings: IngestSettings;
  users: number;
  retired: boolean;
  /** Runs once the generation is retired and unused (closes its policy). */
  readonly onDrained: (settings: IngestSettings) => Promise<void>;
  drained?: Promise<void>;
  resolveDrained?: () => void;
}

export interface SettingsLease {
  readonly settings: IngestSettings;
  release(): void;
}

export class IngestSettingsHolder {
  private current: Generation;
  private readonly draining = new Set<Promise<void>>();

  /**
   * @param onDrained what to do with a replaced snapshot once no request uses it. Default: close its policy.
   */
  constructor(
    initial: IngestSettings,
    private readonly onDrained: (settings: IngestSettings) => Promise<void> = async (s) => s.policy?.close(),
  ) {
    this.current = this.generation(initial);
  }

  /** The snapshot in force now, for readers that hold nothing across an await (/readyz). */
  get(): IngestSettings {
    return this.current.settings;
  }

  /** The snapshot in force, kept alive until `release()`. */
  acquire(): SettingsLease {
    const generation = this.current;
    generation.users += 1;
    let released = false;
    return {
      settings: generation.settings,
      release: () => {
        if (released) return;
        released = true;
        generation.users -= 1;
        this.maybeDrain(generation);
      },
    };
  }

  /**
   * Serves `next` to new requests at once. The returned promise resolves once the previous snapshot's requests
   * finished and it was closed; nobody needs to wait for that (close() does).
   */
  swap(next: IngestSettings): Promise<void> {
    const previous = this.current;
    this.current = this.generation(next);
    const drained = this.retire(previous);
    this.draining.add(drained);
    void drained.then(() => this.draining.delete(drained));
    return drained;
  }

  /** Retires the snapshot in force (at shutdown); resolves once every snapshot's requests finished. */
  async close(): Promise<void> {
    await Promise.all([this.retire(this.current), ...this.draining]);
  }

  private generation(settings: IngestSettings): Generation {
    return { settings: Object.freeze({ ...settings }), users: 0, retired: false, onDrained: this.onDrained };
  }

  private retire(generation: Generation): Promise<void> {
    if (!generation.retired) {
      generation.retired = true;
      generation.drained = new Promise<void>((resolve) => (generation.resolveDrained = resolve));
      this.maybeDrain(generation);
    }
    return generation.drained!;
  }

  private maybeDrain(generation: Generation): void {
    if (!generation.retired || generation.users > 0 || !generation.resolveDrained) return;
    const resolve = generation.resolveDrained;
    generation.resolveDrained = undefined;
    generation.onDrained(generation.settings).then(resolve, resolve);
  }
}

/** Gives each request its snapshot for its whole life (first middleware of the app). */
export function settingsMiddleware(holder: IngestSettingsHolder): MiddlewareHandler {
  return async (c, next) => {
    const lease = holder.acquire();
    c.set('ingestSettings', lease.settings);
    try {
      await next();
    } finally {
      lease.release();
    }
  };
}

/** The request's snapshot. */
export function settingsOf(c: Context): IngestSettings {
  return c.get('ingestSettings');
}
