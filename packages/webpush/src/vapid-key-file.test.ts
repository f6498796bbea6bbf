// The key file format is whatever `web-push generate-vapid-keys --json` prints: run the library's own CLI.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVapidKeyFile } from '@pushwire/core';

const cli = join(dirname(createRequire(import.meta.url).resolve('web-push/package.json')), 'src', 'cli.js');

describe('a VAPID key file from web-push generate-vapid-keys --json', () => {
  it('is accepted as it is printed', () => {
    const printed = execFileSync(process.execPath, [cli, 'generate-vapid-keys', '--json'], { encoding: 'utf8' });
    const keys = JSON.parse(printed) as { publicKey: string; privateKey: string };
    expect(parseVapidKeyFile(printed, 'vapid.json')).toEqual(keys);
  });
});
