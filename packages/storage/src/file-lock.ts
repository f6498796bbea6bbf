// A lock file shared by processes: created with O_EXCL, taken over when its holder is dead (pid check) or too old.
import { randomBytes } from 'node:crypto';
import { type FileHandle, link, open, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

export interface FileLockOptions {
  /** How long to wait for another holder, ms. Default 5000. */
  timeoutMs?: number;
  /**
   * Age past which a lock is taken over even though its holder looks alive (a reused pid, a holder on another
   * host of a shared file system), ms. Default 60 000; a holder keeps the lock for milliseconds.
   */
  staleAfterMs?: number;
}

/** What a lock file holds: enough to tell whether its holder still runs. */
interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** Inode numbers are reused at once after an unlink: this tells one lock from the next. */
  nonce: string;
}

export interface FileLock {
  /** True while the lock file is still the one this holder created (nobody took it over). */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly timeoutMs: number,
    readonly holder: string,
  ) {
    super(`lock ${lockPath} still held after ${timeoutMs} ms (holder: ${holder})`);
    this.name = 'LockTimeoutError';
  }
}

const FIRST_POLL_MS = 1;
const MAX_POLL_MS = 25;

export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<FileLock> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let poll = FIRST_POLL_MS;
  for (;;) {
    const mine = await tryCreate(lockPath);
    if (mine !== null) return heldLock(lockPath, mine);
    const look = await inspect(lockPath);
    if (look === null || (isStale(look, staleAfterMs) && (await moveAside(lockPath, look)))) continue;
    if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, timeoutMs, look.text || '(empty)');
    // No notification exists for another process unlinking a file: poll, briefly at first.
    await delay(Math.min(poll, Math.max(1, deadline - Date.now())));
    poll = Math.min(poll * 2, MAX_POLL_MS);
  }
}

/** Who a lock file is: its inode and its content (which carries a nonce). */
interface LockIdentity {
  ino: number;
  text: string;
}

/** The new lock, or null when another holder has it. */
async function tryCreate(lockPath: string): Promise<LockIdentity | null> {
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  const text = JSON.stringify(me);
  let handle: FileHandle;
  try {
    handle = await open(lockPath, 'wx', 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return null;
    throw error;
  }
  try {
    await handle.writeFile(text);
    return { ino: (await handle.stat()).ino, text };
  } finally {
    await handle.close();
  }
}

interface LockLook extends LockIdentity {
  ageMs: number;
  holder: LockHolder | null;
}

async function inspect(lockPath: string): Promise<LockLook | null> {
  const found = await identity(lockPath); // null: released meanwhile
  return (
    found && { ino: found.ino, text: found.text, ageMs: Date.now() - found.mtimeMs, holder: parseHolder(found.text) }
  );
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, since: String(value.since), nonce: String(value.nonce) };
    }
  } catch {
    // A holder that crashed between creating and writing the file: only its age can free it.
  }
  return null;
}

function isStale(look: LockLook, staleAfterMs: number): boolean {
  if (look.ageMs > staleAfterMs) return true;
  const holder = look.holder;
  return holder !== null && holder.host === hostname() && !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Removes exactly the lock judged stale. Unlinking by name could delete a fresh lock that a competing taker
 * created meanwhile; renaming first and checking what was moved cannot. When the check shows a fresh lock was
 * moved, it goes back (link never overwrites); were that to fail, its holder's `held()` check before
 * committing notices and gives up instead of writing.
 */
async function moveAside(lockPath: string, stale: LockIdentity): Promise<boolean> {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true;
    throw error;
  }
  const moved = await identity(aside);
  const same = moved !== null && moved.ino === stale.ino && moved.text === stale.text;
  if (!same) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside);
  return same;
}

/** Inode and content read through one handle, so both belong to the same file. */
async function identity(path: string): Promise<(LockIdentity & { mtimeMs: number }) | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  try {
    const info = await handle.stat();
    return { ino: info.ino, mtimeMs: info.mtimeMs, text: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}

function heldLock(lockPath: string, mine: LockIdentity): FileLock {
  const held = async () => {
    const current = await identity(lockPath);
    return current !== null && current.ino === mine.ino && current.text === mine.text;
  };
  return {
    held,
    async release() {
      if (await held())
        await unlink(lockPath).catch((error: unknown) => {
          if (errorCode(error) !== 'ENOENT') throw error;
        });
    },
  };
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}
