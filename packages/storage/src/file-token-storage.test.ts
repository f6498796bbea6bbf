import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTokenStorage } from './file-token-storage.js';
import {
  describeTokenStorageConcurrency,
  describeTokenStorageContract,
  device,
} from './test-support/token-storage-contract.js';
import { StorageUnavailableError } from './token-storage.js';

const root = mkdtempSync(join(tmpdir(), 'pushwire-file-storage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function freshPath(): string {
  counter += 1;
  return join(root, `case-${counter}`, 'pushwire-tokens.json');
}

function readDocument(path: string): { version: number; accounts: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(path, 'utf8')) as {
    version: number;
    accounts: Record<string, Record<string, unknown>>;
  };
}

async function openFileBackend() {
  const path = freshPath();
  const storage = new FileTokenStorage({ path });
  return {
    storage,
    async accountMarked(account: string) {
      try {
        return Object.hasOwn(readDocument(path).accounts, account);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
  };
}

describeTokenStorageContract('file', openFileBackend);
describeTokenStorageConcurrency('file', openFileBackend);

/** A pid that surely belongs to no running process: one that just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('FileTokenStorage', () => {
  it('writes a readable, versioned JSON document with Sylk-named fields', async () => {
    const path = freshPath();
    const storage = new FileTokenStorage({ path });
    await storage.add('alice@example.com', device({ deviceId: 'd1', backgroundToken: null }));
    expect(readDocument(path)).toEqual({
      version: 1,
      accounts: {
        'alice@example.com': {
          'com.example.sylk-ios-d1': {
            app_id: 'com.example.sylk-ios',
            platform: 'apple',
            token: 'voip0123',
            background_token: null,
            device_id: 'd1',
            silent: true,
            user_agent: 'Sylk/5.8 iOS',
          },
        },
      },
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(path, '..')).sort()).toEqual(['pushwire-tokens.json']);
  });

  it('ignores a leftover temp file and a truncated one from a crashed writer, and sweeps old ones', async () => {
    const path = freshPath();
    const storage = new FileTokenStorage({ path, staleAfterMs: 60_000 });
    await storage.add('alice@example.com', device({ deviceId: 'd1' }));
    const dir = join(path, '..');
    const whole = join(dir, '.pushwire-tokens.json.999999.aaaaaaaaaaaa.tmp');
    const truncated = join(dir, '.pushwire-tokens.json.999998.bbbbbbbbbbbb.tmp');
    writeFileSync(whole, JSON.stringify({ version: 1, accounts: { 'mallory@example.com': {} } }));
    writeFileSync(truncated, readFileSync(path, 'utf8').slice(0, 40));
    const reopened = new FileTokenStorage({ path, staleAfterMs: 0 });
    expect((await reopened.devices('alice@example.com')).map((d) => d.deviceId)).toEqual(['d1']);
    expect(await collect(reopened.accounts())).toEqual(['alice@example.com']);
    await reopened.add('alice@example.com', device({ deviceId: 'd2' }));
    expect(Object.keys(readDocument(path).accounts['alice@example.com']!)).toEqual([
      'com.example.sylk-ios-d1',
      'com.example.sylk-ios-d2',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['pushwire-tokens.json']);
  });

  it('refuses a corrupt file (it never overwrites what it cannot read)', async () => {
    const path = freshPath();
    const storage = new FileTokenStorage({ path });
    await storage.add('alice@example.com', device());
    writeFileSync(path, '{"version":1,"accounts":{"alice@example.com":');
    await expect(storage.devices('alice@example.com')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(storage.add('bob@example.com', device())).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"accounts":{"alice@example.com":');
  });

  it('takes over a lock whose holder died', async () => {
    const path = freshPath();
    const storage = new FileTokenStorage({ path, lockTimeoutMs: 60_000 });
    await storage.add('alice@example.com', device({ deviceId: 'd1' }));
    writeFileSync(
      `${path}.lock`,
      JSON.stringify({ pid: await deadPid(), host: hostname(), since: new Date().toISOString(), nonce: 'x' }),
    );
    await storage.add('alice@example.com', device({ deviceId: 'd2' }));
    expect((await storage.devices('alice@example.com')).map((d) => d.deviceId)).toEqual(['d1', 'd2']);
    expect(readdirSync(join(path, '..')).sort()).toEqual(['pushwire-tokens.json']);
  });

  it('waits for a live holder, then fails with StorageUnavailableError and leaves the file alone', async () => {
    const path = freshPath();
    const storage = new FileTokenStorage({ path, lockTimeoutMs: 200 });
    await storage.add('alice@example.com', device({ deviceId: 'd1' }));
    const before = readFileSync(path, 'utf8');
    writeFileSync(
      `${path}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), nonce: 'x' }),
    );
    const error = await storage.add('alice@example.com', device({ deviceId: 'd2' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toMatch(/still held/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    // Reads need no lock.
    expect((await storage.devices('alice@example.com')).map((d) => d.deviceId)).toEqual(['d1']);
  });

  it('serialises changes of two instances on one file (the lock, not just the in-process queue)', async () => {
    const path = freshPath();
    const [a, b] = [new FileTokenStorage({ path }), new FileTokenStorage({ path })];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).add('alice@example.com', device({ deviceId: `d${String(i).padStart(2, '0')}` })),
      ),
    );
    expect(await a.devices('alice@example.com')).toHaveLength(40);
  });

  it('serialises changes of several processes on one file', { timeout: 30_000 }, async () => {
    const path = freshPath();
    const storage = new FileTokenStorage({ path });
    await storage.add('seed@example.com', device());
    const script = join(import.meta.dirname, 'test-support', 'file-storage-writer.ts');
    const tsx = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
    const writers = [0, 1, 2].map(
      (n) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(tsx, ['--conditions=pushwire-source', script, path, `w${n}`, '25'], {
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          child.once('exit', resolve);
        }),
    );
    expect(await Promise.all(writers)).toEqual([0, 0, 0]);
    const devices = await storage.devices('shared@example.com');
    expect(devices).toHaveLength(75);
    expect(await collect(storage.accounts())).toEqual(['seed@example.com', 'shared@example.com']);
  });
});

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of source) out.push(item);
  return out;
}
