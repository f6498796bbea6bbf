// .dockerignore matching (Docker's rules: `*`, `?`, `**`, `!` exceptions, last match wins, a matched folder
// excludes its contents), to check what the image build can and cannot see.

interface Rule {
  exclude: boolean;
  pattern: RegExp;
}

export class DockerIgnore {
  private readonly rules: Rule[];

  constructor(text: string) {
    this.rules = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const exclude = !line.startsWith('!');
        const body = (exclude ? line : line.slice(1)).trim().replace(/^\/+/, '').replace(/\/+$/, '');
        return { exclude, pattern: toRegExp(body) };
      });
  }

  /** True when `path` (relative to the context root, `/`-separated) is left out of the build context. */
  excludes(path: string): boolean {
    const segments = path.split('/');
    // A path is excluded when it or one of its parent folders matches the last applicable rule.
    const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of this.rules) {
      if (candidates.some((candidate) => rule.pattern.test(candidate))) excluded = rule.exclude;
    }
    return excluded;
  }
}

function toRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of folders, including none.
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
