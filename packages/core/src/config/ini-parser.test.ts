// The INI parser against Python configparser's behaviour.
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseIni, type IniDocument } from './ini-parser.js';

// Expected values were checked against Python 3.11's configparser.RawConfigParser(strict=True).
function plain(doc: IniDocument): {
  defaults: Record<string, string>;
  sections: Record<string, Record<string, string>>;
} {
  return {
    defaults: Object.fromEntries(doc.defaults),
    sections: Object.fromEntries([...doc.sections].map(([name, values]) => [name, Object.fromEntries(values)])),
  };
}

function parseError(text: string): ConfigError {
  try {
    parseIni(text, '/etc/x/applications.ini');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseIni', () => {
  it('reads `=` and `:` separators, splitting at the first one, and lower-cases option names only', () => {
    const doc = parseIni('[MyApp]\nApp_ID = com.Example\nkey: a:b=c\nother=x=y\n', 'f.ini');
    expect(plain(doc).sections).toEqual({ MyApp: { app_id: 'com.Example', key: 'a:b=c', other: 'x=y' } });
  });

  it('keeps values as raw strings: no booleans, no arrays, no quote removal', () => {
    const doc = parseIni('[s]\nvoip = True\nlist[] = 1\nq = "quoted"\nempty =\n', 'f.ini');
    expect(Object.fromEntries(doc.sections.get('s') ?? [])).toEqual({
      voip: 'True',
      'list[]': '1',
      q: '"quoted"',
      empty: '',
    });
  });

  it('skips whole-line # and ; comments, even indented, and has no inline comments', () => {
    const doc = parseIni('; top\n[s]\n# c\n  ; indented\nk = v ; not a comment\nurl = http://x/#frag\n', 'f.ini');
    expect(plain(doc).sections).toEqual({ s: { k: 'v ; not a comment', url: 'http://x/#frag' } });
  });

  it('joins indented continuation lines with \\n, keeping inner blank lines and dropping trailing ones', () => {
    const doc = parseIni('[s]\nk = line1\n  line2\n\n  line3\n\nnext = 1\n', 'f.ini');
    expect(doc.sections.get('s')?.get('k')).toBe('line1\nline2\n\nline3');
    expect(doc.sections.get('s')?.get('next')).toBe('1');
  });

  it('skips a comment inside a continued value without ending it', () => {
    const doc = parseIni('[s]\nk = a\n  # note\n  b\n', 'f.ini');
    expect(doc.sections.get('s')?.get('k')).toBe('a\nb');
  });

  it('treats a more-indented line after an option as a continuation, even if it looks like a header', () => {
    const doc = parseIni('[s]\nk = v\n   [t]\n', 'f.ini');
    expect(plain(doc).sections).toEqual({ s: { k: 'v\n[t]' } });
  });

  it('trims values and accepts indented options at the start of a section', () => {
    const doc = parseIni('[s]\n  k =   v  \t\n  j = w\n', 'f.ini');
    expect(plain(doc).sections).toEqual({ s: { k: 'v', j: 'w' } });
  });

  it('keeps section names exactly, including spaces and text up to the last ]', () => {
    const doc = parseIni('[ Spaced ]\nk=v\n[a]x]\nk=v\n[b] trailing\nk=v\n', 'f.ini');
    expect([...doc.sections.keys()]).toEqual([' Spaced ', 'a]x', 'b']);
  });

  it('lets every section inherit [DEFAULT] values, which a section may override', () => {
    const doc = parseIni(
      '[DEFAULT]\napple_push_url = api.push.apple.com\n[a]\nx = 2\n[b]\napple_push_url = h\n',
      'f.ini',
    );
    expect(plain(doc)).toEqual({
      defaults: { apple_push_url: 'api.push.apple.com' },
      sections: { a: { x: '2', apple_push_url: 'api.push.apple.com' }, b: { apple_push_url: 'h' } },
    });
  });

  it('accepts CRLF line endings and a UTF-8 byte order mark', () => {
    const doc = parseIni('\uFEFF[s]\r\nk = v\r\n  w\r\n', 'f.ini');
    expect(doc.sections.get('s')?.get('k')).toBe('v\nw');
  });

  it('rejects a duplicate section with file, section and line number', () => {
    const error = parseError('[a]\nk = 1\n\n[a]\nk = 2\n');
    expect(error.file).toBe('/etc/x/applications.ini');
    expect(error.key).toBe('[a]');
    expect(error.reason).toBe('duplicate section (line 4)');
    expect(error.message).toBe('/etc/x/applications.ini: [a]: duplicate section (line 4)');
  });

  it('rejects a duplicate option, case-insensitively, with its line number', () => {
    const error = parseError('[a]\nKey = 1\nkey = 2\n');
    expect(error.key).toBe('[a] key');
    expect(error.reason).toBe('duplicate option (line 3)');
  });

  it('rejects a duplicate option in [DEFAULT] even across two [DEFAULT] headers', () => {
    expect(parseError('[DEFAULT]\nk = 1\n[DEFAULT]\nk = 2\n').reason).toBe('duplicate option (line 4)');
  });

  it('rejects a setting before any section', () => {
    expect(parseError('k = v\n[s]\n').reason).toMatch(/^line 1 is outside any \[section\]/);
  });

  it('rejects a line without a delimiter or with an empty option name', () => {
    expect(parseError('[s]\nk = v\njunk\n').reason).toMatch(/^line 3 is not a "key = value" setting/);
    expect(parseError('[s]\n= v\n').reason).toMatch(/^line 2 is not a "key = value" setting/);
    expect(parseError('[s]\n[]\n').reason).toMatch(/^line 2 /);
  });
});
