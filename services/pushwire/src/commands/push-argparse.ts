// Option parsing as Python's argparse does it for Sylk's client scripts, so their command lines work unchanged:
// `--opt value` and `--opt=value`, unique prefixes (`--plat`), the last occurrence wins, and the same errors
// (exit 2, usage on stderr) for a missing, unknown, ambiguous or valueless option.

export interface OptionSpec {
  /** The flag as typed, e.g. `--from_name`. */
  flag: string;
  /** Key of the parsed value. */
  dest: string;
  required?: boolean;
  /** Value when the option is absent (Sylk's defaults: a string, the number 1, or None → null). */
  default?: string | number | null;
  help: string;
}

export type ParsedOptions = Record<string, string | number | null>;

/** A command line argparse would refuse: print `usage` and `<prog>: error: <message>` on stderr, exit 2. */
export class ArgparseError extends Error {
  constructor(
    readonly usage: string,
    readonly prog: string,
    message: string,
  ) {
    super(message);
    this.name = 'ArgparseError';
  }

  /** argparse's exact error output. */
  render(): string {
    return `${this.usage}\n${this.prog}: error: ${this.message}\n`;
  }
}

/** `-h` / `--help` was given: print the help on stdout, exit 0. */
export class HelpRequested extends Error {
  constructor(readonly help: string) {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

/** argparse's ending for help (exit 0, stdout) and errors (exit 2, stderr); other errors are rethrown. */
export function usageOutcome(error: unknown, out: (text: string) => void, err: (text: string) => void): number {
  if (error instanceof HelpRequested) {
    out(error.help);
    return 0;
  }
  if (error instanceof ArgparseError) {
    err(error.render());
    return 2;
  }
  throw error;
}

export interface ParserOptions {
  prog: string;
  usage: string;
  /** Help text shown for `-h`. */
  help: string;
  /** Stop at the first positional argument and return it with everything after it (a subcommand). */
  stopAtPositional?: boolean;
}

/** argparse treats `-1` or `-2.5` as a value (no option of these parsers looks like a number). */
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

type Classified = { kind: 'value' } | { kind: 'option'; spec: OptionSpec | undefined; explicit: string | undefined };

/**
 * argparse's `_parse_optional`: a known flag (exact, `--flag=value`, or a unique prefix) is an option; `-1`, `-`
 * and text with a space are values; anything else starting with `-` is an unknown option.
 */
function classify(arg: string, specs: readonly OptionSpec[], fail: (message: string) => never): Classified {
  if (!arg.startsWith('-') || arg.length === 1) return { kind: 'value' };
  const exact = specs.find((s) => s.flag === arg);
  if (exact) return { kind: 'option', spec: exact, explicit: undefined };
  const eq = arg.indexOf('=');
  const typed = eq > 0 ? arg.slice(0, eq) : arg;
  const explicit = eq > 0 ? arg.slice(eq + 1) : undefined;
  const named = specs.find((s) => s.flag === typed);
  if (named) return { kind: 'option', spec: named, explicit };
  const candidates = typed.startsWith('--') ? specs.filter((s) => s.flag.startsWith(typed)) : [];
  if (candidates.length > 1) fail(`ambiguous option: ${typed} could match ${candidates.map((s) => s.flag).join(', ')}`);
  if (candidates.length === 1) return { kind: 'option', spec: candidates[0], explicit };
  if (NEGATIVE_NUMBER.test(arg) || arg.includes(' ')) return { kind: 'value' };
  return { kind: 'option', spec: undefined, explicit: undefined };
}

export function parseOptions(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  parser: ParserOptions,
): { values: ParsedOptions; rest: string[] } {
  const fail = (message: string): never => {
    throw new ArgparseError(parser.usage, parser.prog, message);
  };
  const given = new Map<string, string>();
  const unrecognized: string[] = [];
  let rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') throw new HelpRequested(parser.help);
    const found = classify(arg, specs, fail);
    if (found.kind === 'value') {
      if (parser.stopAtPositional) {
        rest = argv.slice(i);
        break;
      }
      unrecognized.push(arg);
      continue;
    }
    const { spec, explicit } = found;
    if (!spec) {
      unrecognized.push(arg);
      continue;
    }
    if (explicit !== undefined) {
      given.set(spec.dest, explicit);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || classify(value, specs, fail).kind === 'option')
      fail(`argument ${spec.flag}: expected one argument`);
    given.set(spec.dest, value!);
    i++;
  }
  const missing = specs.filter((s) => s.required && !given.has(s.dest)).map((s) => s.flag);
  if (missing.length > 0) fail(`the following arguments are required: ${missing.join(', ')}`);
  if (unrecognized.length > 0) fail(`unrecognized arguments: ${unrecognized.join(' ')}`);
  const values: ParsedOptions = {};
  for (const spec of specs) values[spec.dest] = given.get(spec.dest) ?? spec.default ?? null;
  return { values, rest };
}

/** argparse-style help: the usage line, then one line per option. */
export function helpText(usage: string, description: string, specs: readonly OptionSpec[]): string {
  const width = Math.max(...specs.map((s) => s.flag.length + s.dest.length + 1), 10) + 2;
  const lines = specs.map((s) => {
    const name = `${s.flag} ${s.dest.toUpperCase()}`;
    const def = s.default !== undefined && s.default !== null ? ` (default: ${s.default})` : '';
    return `  ${name.padEnd(width)} ${s.help}${s.required ? ' (required)' : ''}${def}`;
  });
  return [
    usage,
    '',
    description,
    '',
    'options:',
    `  ${'-h, --help'.padEnd(width)} show this help message and exit`,
    ...lines,
  ].join('\n');
}
