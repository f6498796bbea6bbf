// The argparse behaviour Sylk's client command lines rely on.
import { describe, expect, it } from 'vitest';
import { ArgparseError, HelpRequested, parseOptions, type OptionSpec } from './push-argparse.js';

const SPECS: OptionSpec[] = [
  { flag: '--url', dest: 'url', required: true, help: 'URL' },
  { flag: '--from', dest: 'from_uri', required: true, help: 'From' },
  { flag: '--from_name', dest: 'from_name', help: 'From name' },
  { flag: '--silent', dest: 'silent', default: '1', help: 'Silent' },
  { flag: '--badge', dest: 'badge', default: 1, help: 'Badge' },
];
const parser = { prog: 'p', usage: 'usage: p [options]', help: 'help text' };
const parse = (...argv: string[]) => parseOptions(argv, SPECS, parser).values;
const errorOf = (...argv: string[]): string => {
  try {
    parseOptions(argv, SPECS, parser);
  } catch (error) {
    if (error instanceof ArgparseError) return error.render();
    throw error;
  }
  throw new Error('parsed');
};

describe('parseOptions (argparse semantics)', () => {
  it('takes --opt value and --opt=value, keeps defaults and types, lets the last occurrence win', () => {
    expect(parse('--url', 'http://h/push', '--from=alice', '--from', 'bob')).toEqual({
      url: 'http://h/push',
      from_uri: 'bob',
      from_name: null,
      silent: '1',
      badge: 1,
    });
    expect(parse('--url', 'u', '--from', 'a', '--badge', '3')).toMatchObject({ badge: '3' });
  });

  it('accepts unique prefixes, prefers an exact flag, refuses an ambiguous prefix', () => {
    expect(parse('--u', 'u', '--from', 'a', '--from_n', 'Alice', '--sil', '0')).toMatchObject({
      url: 'u',
      from_uri: 'a',
      from_name: 'Alice',
      silent: '0',
    });
    expect(errorOf('--url', 'u', '--fr', 'a')).toBe(
      'usage: p [options]\np: error: ambiguous option: --fr could match --from, --from_name\n',
    );
  });

  it('reads negative numbers and text with spaces as values, other dash words as options', () => {
    expect(parse('--url', 'u', '--from', 'a', '--badge', '-1', '--from_name', '-Alice Smith')).toMatchObject({
      badge: '-1',
      from_name: '-Alice Smith',
    });
    expect(errorOf('--url', 'u', '--from', '-alice')).toBe(
      'usage: p [options]\np: error: argument --from: expected one argument\n',
    );
    expect(errorOf('--url', 'u', '--from')).toContain('argument --from: expected one argument');
  });

  it('names every missing required option, then unrecognized arguments', () => {
    expect(errorOf('--silent', '0')).toBe(
      'usage: p [options]\np: error: the following arguments are required: --url, --from\n',
    );
    expect(errorOf('--url', 'u', '--from', 'a', 'extra', '--nope', 'x')).toBe(
      'usage: p [options]\np: error: unrecognized arguments: extra --nope x\n',
    );
  });

  it('stops at the first positional when asked (a subcommand), and answers -h with the help', () => {
    const top: OptionSpec[] = [{ flag: '--account', dest: 'account', required: true, help: 'Account' }];
    expect(
      parseOptions(['--account', 'a@b', 'push', '--callid', 'c'], top, { ...parser, stopAtPositional: true }),
    ).toEqual({
      values: { account: 'a@b' },
      rest: ['push', '--callid', 'c'],
    });
    expect(() => parseOptions(['--url', 'u', '-h'], SPECS, parser)).toThrow(HelpRequested);
  });
});
