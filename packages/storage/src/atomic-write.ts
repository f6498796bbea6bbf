// Replace a file so that a crash at any point leaves either the old content or the new, never a mix.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Mode of the new file. Default 0o600 (device tokens are private). */
  mode?: number;
  /** Runs after the data is on disk and before the rename; throwing abandons the write. */
  beforeCommit?: () => Promise<void>;
}

/** Temporary files sit beside the target (a rename is atomic only within one file system) and are named so. */
export function isTempFileOf(target: string, name: string): boolean {
  const prefix = `.${basename(target)}.`;
  return name.startsWith(prefix) && name.endsWith('.tmp');
}

/** Write a temp file in the same directory, fsync it, rename it over the target, then fsync the directory. */
export async function writeFileAtomic(target: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeCommit?.();
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable: without it a power cut can bring the old directory entry back. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
