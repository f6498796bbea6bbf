import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireFileLock, LockTimeoutError } from './file-lock.js';

const root = mkdtempSync(join(tmpdir(), 'pushwire-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const lockPath = () => {
  n += 1;
  return join(root, `lock-${n}`);
};

function age(path: string, seconds: number): void {
  const past = new Date(Date.now() - seconds * 1000);
  utimesSync(path, past, past);
}

describe('acquireFileLock', () => {
  it('hands the lock to one holder at a time, the next one once it is released', async () => {
    const path = lockPath();
    const first = await acquireFileLock(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    const order: string[] = [];
    const second = acquireFileLock(path, { timeoutMs: 10_000 }).then((lock) => {
      order.push('second acquired');
      return lock;
    });
    order.push('first releasing');
    await first.release();
    const lock = await second;
    expect(order).toEqual(['first releasing', 'second acquired']);
    expect(await first.held()).toBe(false);
    expect(await lock.held()).toBe(true);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('does not take over an unreadable lock (a holder still writing it) until it is old', async () => {
    const path = lockPath();
    writeFileSync(path, '');
    await expect(acquireFileLock(path, { timeoutMs: 50, staleAfterMs: 60_000 })).rejects.toBeInstanceOf(
      LockTimeoutError,
    );
    age(path, 120);
    const lock = await acquireFileLock(path, { timeoutMs: 1000, staleAfterMs: 60_000 });
    expect(await lock.held()).toBe(true);
    await lock.release();
  });

  it('trusts a holder on another host (its pid means nothing here) until the lock is old', async () => {
    const path = lockPath();
    writeFileSync(
      path,
      JSON.stringify({ pid: 1, host: 'elsewhere.invalid', since: new Date().toISOString(), nonce: 'n' }),
    );
    await expect(acquireFileLock(path, { timeoutMs: 50 })).rejects.toThrow(/elsewhere\.invalid/);
    age(path, 120);
    const lock = await acquireFileLock(path, { timeoutMs: 1000, staleAfterMs: 60_000 });
    await lock.release();
  });

  it('a holder whose lock was taken over knows it, and its release leaves the new lock alone', async () => {
    const path = lockPath();
    const old = await acquireFileLock(path);
    age(path, 120);
    const taker = await acquireFileLock(path, { timeoutMs: 1000, staleAfterMs: 60_000 });
    expect(await old.held()).toBe(false);
    await old.release();
    expect(await taker.held()).toBe(true);
    await taker.release();
  });
});
