import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSylkPickle, SylkPickleError, type SkippedPickleEntry, type SylkPickleEntry } from './sylk-pickle.js';

// Made by fixtures/make-sylk-pickle.py, which runs Sylk's own FileStorage logic (docs/decisions/0017-python-oracles.md).
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'pushwire-pickle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What Sylk stored: Apple tokens split, device ids legacy-stripped, the merged push fields not kept. */
const EXPECTED: SylkPickleEntry[] = [
  {
    account: 'alice@example.com',
    device: {
      appId: 'com.agprojects.sylk-ios',
      platform: 'apple',
      deviceId: '8a3f0b52-1c2d-4e5f-9a1d-3b4c5d6e9a1',
      token: '0a1b2c3d4e5f',
      backgroundToken: 'f5e4d3c2b1a0',
      silent: true,
      userAgent: 'Sylk/5.8 iOS',
    },
  },
  {
    account: 'alice@example.com',
    device: {
      appId: 'com.agprojects.sylk',
      platform: 'firebase',
      deviceId: 'ead-beef-0001',
      token: 'fcm:APA91b-XyZ_123',
      backgroundToken: null,
      silent: false,
      userAgent: null,
    },
  },
  {
    account: 'bob@example.org',
    device: {
      appId: 'com.agprojects.sylk-ios',
      platform: 'apple',
      deviceId: '0f1e2d3c',
      token: 'newvoiptoken',
      backgroundToken: null,
      silent: true,
      userAgent: null,
    },
  },
];

describe('readSylkPickle', () => {
  it('imports the file Sylk writes (protocol 4) to the expected records; the emptied account brings none', async () => {
    expect(await readSylkPickle(join(FIXTURES, 'webrtc_device_tokens'))).toEqual(EXPECTED);
  });

  it.each([0, 2, 3, 5])('reads the same data pickled with protocol %i', async (protocol) => {
    expect(await readSylkPickle(join(FIXTURES, `webrtc_device_tokens.protocol-${protocol}`))).toEqual(EXPECTED);
  });

  it("reads SylkServer's layout (device_token, ios/android, text silent) and reports the old set layout as skipped", async () => {
    const skipped: SkippedPickleEntry[] = [];
    const entries = await readSylkPickle(join(FIXTURES, 'webrtc_device_tokens.sylkserver'), {
      onSkipped: (s) => skipped.push(s),
    });
    expect(entries).toEqual([
      {
        account: 'dave@example.com',
        device: {
          appId: 'com.agprojects.sylk-ios',
          platform: 'apple',
          deviceId: 'urn:uuid:1234',
          token: 'aa11',
          backgroundToken: 'bb22',
          silent: false,
          userAgent: 'SylkServer test',
        },
      },
      {
        account: 'dave@example.com',
        device: {
          appId: 'com.agprojects.sylk',
          platform: 'firebase',
          deviceId: 'dev-2',
          token: 'fcm-token-x',
          backgroundToken: null,
          silent: true,
          userAgent: null,
        },
      },
    ]);
    expect(skipped).toEqual([
      { account: 'old@example.com', key: null, reason: 'not a dict of devices (an old layout?)' },
    ]);
  });

  it('rejects the file cut short at any byte (a copy taken while Sylk rewrote it)', async () => {
    const path = join(scratch, 'truncated');
    const whole = readFileSync(join(FIXTURES, 'webrtc_device_tokens'));
    for (let length = 0; length < whole.length; length++) {
      writeFileSync(path, whole.subarray(0, length));
      await expect(readSylkPickle(path), `cut at ${length}`).rejects.toBeInstanceOf(SylkPickleError);
    }
  });

  it('refuses a pickle that names any other Python object (it never imports rubbish)', async () => {
    // protocol 2: GLOBAL posix.system, ('ls',), REDUCE, STOP
    const path = join(scratch, 'hostile');
    writeFileSync(path, Buffer.from('\x80\x02cposix\nsystem\nX\x02\x00\x00\x00ls\x85R.', 'latin1'));
    await expect(readSylkPickle(path)).rejects.toThrow(/unexpected Python object posix\.system/);
  });

  it('rejects a pickle whose top level is not a dict', async () => {
    const path = join(scratch, 'list');
    writeFileSync(path, Buffer.from('\x80\x02]q\x00.', 'latin1'));
    await expect(readSylkPickle(path)).rejects.toThrow(/top level is not a dict/);
  });
});
