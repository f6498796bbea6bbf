// `pushwire keys`: a new key's section authenticates that key; `hash` agrees with sha256sum; keys never on argv.
import { execFileSync } from 'node:child_process';
import { hashCallerKey, parseIni, readCallersConfig } from '@pushwire/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-args.js';
import { keysCommand } from './keys.js';

async function run(argv: string[], stdin = '') {
  let text = '';
  const code = await keysCommand(argv, { readStdin: async () => stdin, out: (t) => (text += t) });
  return { code, text };
}

describe('pushwire keys', () => {
  it('new: prints a strong key and a section that general.ini accepts for exactly that key', async () => {
    const { code, text } = await run(['new', 'sylkserver-1']);
    expect(code).toBe(0);
    const key = /^ {2}(pw_[A-Za-z0-9_-]{43})$/m.exec(text)?.[1];
    expect(key).toBeDefined();
    const section = text.slice(text.indexOf('[caller:'));
    const { config } = readCallersConfig(parseIni(section, 'general.ini'), {});
    expect(config.keys).toEqual([{ name: 'sylkserver-1', keySha256: hashCallerKey(key!), apps: null, rate: null }]);
    const other = await run(['new']);
    expect(other.text).not.toContain(key!);
    expect(other.text).toContain('[caller:caller]');
  });

  it('hash: reads the key from standard input, as sha256sum hashes it', async () => {
    const key = 'pw_example-key';
    const expected = execFileSync('sha256sum', { input: key }).toString().split(' ')[0];
    expect(await run(['hash'], `${key}\n`)).toEqual({ code: 0, text: `${expected}\n` });
    expect(await run(['hash'], key)).toEqual({ code: 0, text: `${expected}\n` });
  });

  it('refuses a key on the command line, empty input, bad names and unknown subcommands', async () => {
    await expect(run(['hash', 'pw_secret'])).rejects.toThrow(UsageError);
    await expect(run(['hash'], '\n')).rejects.toThrow(UsageError);
    await expect(run(['hash'], 'two words')).rejects.toThrow(UsageError);
    await expect(run(['new', 'bad name'])).rejects.toThrow(UsageError);
    await expect(run(['rotate'])).rejects.toThrow(UsageError);
    expect((await run([])).code).toBe(1);
    expect((await run(['--help'])).code).toBe(0);
  });
});
