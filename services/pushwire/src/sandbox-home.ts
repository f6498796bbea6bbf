// Where a sandbox keeps its files under PUSHWIRE_HOME, and the Redis key prefix that keeps its jobs and
// histories apart from anything else in a Redis it finds running.
import { join, resolve } from 'node:path';

/** The sandbox's Redis key prefix, unless PUSHWIRE_PREFIX says otherwise. */
export const SANDBOX_PREFIX = 'pushwire-sandbox';

export interface SandboxHome {
  /** PUSHWIRE_HOME (default `./.pushwire`). */
  home: string;
  /** The sandbox's config directory (rewritten by each sandbox start). */
  dir: string;
  /** Held while a sandbox runs (see sandbox-lock.ts). */
  lock: string;
}

export function sandboxHome(env: NodeJS.ProcessEnv, cwd = process.cwd()): SandboxHome {
  const home = resolve(env.PUSHWIRE_HOME || join(cwd, '.pushwire'));
  return { home, dir: join(home, 'sandbox'), lock: join(home, 'sandbox.lock') };
}
