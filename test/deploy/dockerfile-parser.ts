// A small Dockerfile parser (directives, line continuations, comments, stages, exec form, flags), enough to
// check deploy/Dockerfile's structure without a Docker engine (docs/decisions/0014-static-checks-where-nothing-runs.md).

export interface DockerInstruction {
  /** Upper-cased keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space (comments inside removed). */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

export interface DockerStage {
  /** The FROM line's image, with global ARG defaults substituted (`${NODE_IMAGE}` → `node:26-...`). */
  image: string;
  /** `AS <name>`, lower case, or null. */
  name: string | null;
  from: DockerInstruction;
  /** The stage's instructions after FROM. */
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  /** Parser directives at the very top (`# syntax=...`), keys lower case. */
  directives: Record<string, string>;
  /** ARGs before the first FROM, with their defaults (null when none). */
  globalArgs: Record<string, string | null>;
  stages: DockerStage[];
}

export class DockerfileSyntaxError extends Error {}

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.split(/\r?\n/);
  const directives: Record<string, string> = {};
  let index = 0;
  // Directives are only recognised before any comment, blank line or instruction.
  for (; index < lines.length; index++) {
    const match = /^#\s*([a-zA-Z]+)\s*=\s*(.+?)\s*$/.exec(lines[index] ?? '');
    if (!match?.[1] || match[2] === undefined || match[1].toLowerCase() in directives) break;
    directives[match[1].toLowerCase()] = match[2];
  }

  const instructions: DockerInstruction[] = [];
  while (index < lines.length) {
    const raw = lines[index] ?? '';
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      index++;
      continue;
    }
    const line = index + 1;
    const parts: string[] = [];
    let current = raw;
    for (;;) {
      const continued = /\\\s*$/.test(current);
      parts.push(continued ? current.replace(/\\\s*$/, '') : current);
      index++;
      if (!continued) break;
      // Inside a continuation, comment lines are dropped and blank lines skipped, as Docker does.
      while (index < lines.length && /^\s*(#.*)?$/.test(lines[index] ?? '')) index++;
      if (index >= lines.length)
        throw new DockerfileSyntaxError(`line ${line}: continuation runs past the end of the file`);
      current = lines[index] ?? '';
    }
    const joined = parts
      .map((part) => part.trim())
      .join(' ')
      .trim();
    const keyword = /^([A-Za-z]+)(?:\s+|$)/.exec(joined);
    if (!keyword?.[1]) throw new DockerfileSyntaxError(`line ${line}: not an instruction: ${joined}`);
    instructions.push({ keyword: keyword[1].toUpperCase(), args: joined.slice(keyword[0].length).trim(), line });
  }

  const globalArgs: Record<string, string | null> = {};
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const { rest } = splitFlags(instruction.args);
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from?.[1])
        throw new DockerfileSyntaxError(`line ${instruction.line}: FROM needs an image: ${instruction.args}`);
      const image = substitute(from[1], globalArgs, instruction.line);
      stages.push({ image, name: from[2]?.toLowerCase() ?? null, from: instruction, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') {
        throw new DockerfileSyntaxError(
          `line ${instruction.line}: only ARG may come before the first FROM, not ${instruction.keyword}`,
        );
      }
      const arg = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(instruction.args);
      if (!arg?.[1]) throw new DockerfileSyntaxError(`line ${instruction.line}: bad ARG: ${instruction.args}`);
      globalArgs[arg[1]] = arg[2] ?? null;
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new DockerfileSyntaxError('no FROM instruction');
  return { directives, globalArgs, stages };
}

/** Leading `--name=value` / `--name` flags (COPY --from, HEALTHCHECK --interval, ...) and what follows. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args.trim();
  for (
    let match = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
    match?.[1];
    match = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)
  ) {
    flags[match[1]] = match[2] ?? 'true';
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** The JSON-array ("exec") form of CMD, ENTRYPOINT, RUN or HEALTHCHECK CMD; null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    return null; // Docker runs an invalid JSON array as a shell command.
  }
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
}

/** Instructions of one keyword in a stage. */
export function instructionsOf(stage: DockerStage, keyword: string): DockerInstruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

function substitute(value: string, args: Record<string, string | null>, line: number): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const found = args[name];
      if (found === undefined || found === null)
        throw new DockerfileSyntaxError(`line ${line}: ${name} has no global ARG default`);
      return found;
    },
  );
}
