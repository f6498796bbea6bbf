// `pushwire keys new|hash`: make a caller API key and the general.ini section that names it by its SHA-256.
import { randomBytes } from 'node:crypto';
import { CALLER_SECTION_PREFIX, hashCallerKey } from '@pushwire/core';
import { UsageError } from '../cli-args.js';

export const KEYS_USAGE = `Usage: pushwire keys new [NAME]   a new random API key, and its [${CALLER_SECTION_PREFIX}NAME] section for general.ini
       pushwire keys hash         the key_sha256 of a key read from standard input (never from the command line)
Same as: printf %s "$KEY" | sha256sum`;

export interface KeysIo {
  /** Whole standard input (read only by `hash`). */
  readStdin(): Promise<string>;
  out(text: string): void;
}

const processIo: KeysIo = {
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  out: (text) => process.stdout.write(text),
};

export async function keysCommand(argv: readonly string[], io: KeysIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    io.out(`${KEYS_USAGE}\n`);
    return sub === undefined ? 1 : 0;
  }
  if (sub === 'new') {
    const name = rest[0] ?? 'caller';
    if (rest.length > 1 || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
      throw new UsageError(`keys new: NAME is 1-64 letters, digits, ".", "_" or "-"\n\n${KEYS_USAGE}`);
    }
    // 256 random bits: the stored SHA-256 then cannot be searched back to the key.
    const key = `pw_${randomBytes(32).toString('base64url')}`;
    io.out(
      [
        'API key (give it to the caller as "Authorization: Bearer <key>"; it is not stored anywhere):',
        `  ${key}`,
        '',
        'general.ini:',
        `[${CALLER_SECTION_PREFIX}${name}]`,
        `key_sha256 = ${hashCallerKey(key)}`,
        'apps = *',
        '; rate = 50',
        '; burst = 100',
        '',
      ].join('\n'),
    );
    return 0;
  }
  if (sub === 'hash') {
    if (rest.length > 0)
      throw new UsageError(
        `keys hash reads the key from standard input, not the command line (shell history, ps)\n\n${KEYS_USAGE}`,
      );
    // One trailing newline is what `echo` or a here-string adds, never part of a key.
    const key = (await io.readStdin()).replace(/\r?\n$/, '');
    if (key === '' || /\s/.test(key)) throw new UsageError('keys hash: expected one key (no spaces) on standard input');
    io.out(`${hashCallerKey(key)}\n`);
    return 0;
  }
  throw new UsageError(`unknown keys subcommand: ${sub}\n\n${KEYS_USAGE}`);
}
