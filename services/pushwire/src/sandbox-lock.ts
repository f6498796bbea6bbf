// One sandbox per PUSHWIRE_HOME: a second `pushwire start` would rewrite the running sandbox's config files
// (the first one hot-reloads them and loses its emulators), so it must stop before it writes anything.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What the lock file holds: who runs the sandbox, and where it listens. */
export interface SandboxHolder {
  pid: number;
  port: number;
}

export class AlreadyRunningError extends Error {
  override name = 'AlreadyRunningError';
}

export interface SandboxLock {
  release(): void;
}

/**
 * Takes the sandbox lock, or throws {@link AlreadyRunningError} naming the running one. A lock left by a
 * process that no longer runs (killed with SIGKILL, a crash) is taken over.
 */
export function lockSandbox(lockPath: string, port: number, sandboxDir: string): SandboxLock {
  mkdirSync(dirname(lockPath), { recursive: true });
  // Written whole under another name, then linked into place: a reader never sees a half-written lock.
  const mine = `${lockPath}.${process.pid}`;
  const holder: SandboxHolder = { pid: process.pid, port };
  writeFileSync(mine, JSON.stringify(holder));
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        linkSync(mine, lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const running = readHolder(lockPath);
        if (running && running.pid !== process.pid && alive(running.pid)) {
          throw new AlreadyRunningError(
            `Pushwire is already listening on ${running.port} (sandbox in ${sandboxDir}, pid ${running.pid}): ` +
              'stop it first, or start a second sandbox with its own --port and PUSHWIRE_HOME',
          );
        }
        rmSync(lockPath, { force: true });
        continue;
      }
      return {
        release() {
          // Only our own lock: never one a later sandbox took over.
          if (readHolder(lockPath)?.pid === process.pid) rmSync(lockPath, { force: true });
        },
      };
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new Error(`could not take the sandbox lock ${lockPath}`);
}

function readHolder(lockPath: string): SandboxHolder | null {
  try {
    const value = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<SandboxHolder>;
    return typeof value.pid === 'number' && typeof value.port === 'number'
      ? { pid: value.pid, port: value.port }
      : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
