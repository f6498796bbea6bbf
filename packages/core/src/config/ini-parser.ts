// An INI parser with Python configparser semantics (RawConfigParser, strict), so Sylk's files read the same.
import { ConfigError } from './config-error.js';

/** A parsed INI file. Every value is the raw string configparser would return: no type coercion. */
export interface IniDocument {
  fileName: string;
  /** The `[DEFAULT]` section's own values. */
  defaults: ReadonlyMap<string, string>;
  /**
   * The other sections in file order, by name (case kept). Each map holds the section's own values,
   * then the `[DEFAULT]` values it does not override, as configparser's `config[section]` shows them.
   */
  sections: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const DEFAULT_SECTION = 'DEFAULT';
const COMMENT_PREFIXES = ['#', ';'];
// configparser's SECTCRE, matched from the start of the stripped line; the greedy `.+` means
// `[a] b]` names section `a] b` and text after the last `]` is ignored, as in Python.
const SECTION_RE = /^\[(.+)\]/;
// configparser's OPTCRE with delimiters `=` and `:`: the option name ends at the first delimiter.
const OPTION_RE = /^(.*?)\s*[=:]\s*(.*)$/;

/**
 * Parses INI text as Python's `RawConfigParser(strict=True)` does: `key = value` or `key: value`,
 * option names lower-cased, section names kept, whole-line `#`/`;` comments only (no inline comments),
 * indented lines continue the previous value (joined with `\n`), `[DEFAULT]` values inherited by every
 * section, no interpolation. A duplicate section or option, a line outside any section or a line with
 * no delimiter throws a {@link ConfigError} naming `fileName` and the line number.
 */
export function parseIni(text: string, fileName: string): IniDocument {
  const defaults = new Map<string, string[]>();
  const sections = new Map<string, Map<string, string[]>>();
  const seenSections = new Set<string>();
  const seenOptions = new Set<string>();

  let current: Map<string, string[]> | null = null;
  let sectionName = '';
  let optionName: string | null = null;
  let indentLevel = 0;

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const stripped = line.trim();
    const isComment = COMMENT_PREFIXES.some((prefix) => stripped.startsWith(prefix));
    if (isComment || stripped === '') {
      // A blank line inside a value is kept (configparser's empty_lines_in_values); a comment is not.
      if (!isComment && current !== null && optionName !== null) current.get(optionName)?.push('');
      return;
    }
    const indent = line.search(/\S/);
    if (current !== null && optionName !== null && indent > indentLevel) {
      current.get(optionName)?.push(stripped);
      return;
    }
    indentLevel = indent;

    const header = SECTION_RE.exec(stripped);
    if (header) {
      sectionName = header[1] ?? '';
      optionName = null;
      if (sectionName === DEFAULT_SECTION) {
        current = defaults;
        return;
      }
      if (seenSections.has(sectionName)) {
        throw new ConfigError(fileName, `[${sectionName}]`, `duplicate section (line ${lineNo})`);
      }
      seenSections.add(sectionName);
      current = new Map();
      sections.set(sectionName, current);
      return;
    }
    if (current === null) {
      throw new ConfigError(fileName, null, `line ${lineNo} is outside any [section]: ${JSON.stringify(line)}`);
    }
    const option = OPTION_RE.exec(stripped);
    const name = option?.[1]?.trimEnd().toLowerCase() ?? '';
    if (!option || name === '') {
      throw new ConfigError(
        fileName,
        `[${sectionName}]`,
        `line ${lineNo} is not a "key = value" setting: ${JSON.stringify(line)}`,
      );
    }
    const optionKey = `${sectionName}\u0000${name}`;
    if (seenOptions.has(optionKey)) {
      throw new ConfigError(fileName, `[${sectionName}] ${name}`, `duplicate option (line ${lineNo})`);
    }
    seenOptions.add(optionKey);
    optionName = name;
    current.set(name, [(option[2] ?? '').trim()]);
  });

  const join = (raw: Map<string, string[]>): Map<string, string> =>
    new Map([...raw].map(([key, parts]) => [key, parts.join('\n').trimEnd()]));
  const joinedDefaults = join(defaults);
  const joinedSections = new Map<string, ReadonlyMap<string, string>>();
  for (const [name, raw] of sections) {
    const own = join(raw);
    const inherited = [...joinedDefaults].filter(([key]) => !own.has(key));
    joinedSections.set(name, new Map([...own, ...inherited]));
  }
  return { fileName, defaults: joinedDefaults, sections: joinedSections };
}
