// Every relative link in README.md and docs/ leads somewhere: the file exists and, for `#anchor`, so does a
// heading with that slug (GitHub's rule: lower case, punctuation dropped, spaces to dashes).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath } from './repo-files.js';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => join(e.parentPath, e.name));
}

function slugs(markdown: string): Set<string> {
  const found = new Set<string>();
  let code = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) code = !code;
    const heading = !code && /^#{1,6} (.*)$/.exec(line);
    if (heading)
      found.add(
        heading[1]!
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replaceAll(' ', '-'),
      );
  }
  return found;
}

const FILES = [repoPath('README.md'), ...markdownFiles(repoPath('docs'))];

describe('documentation links', () => {
  it('finds the README and the docs', () => {
    expect(FILES.length).toBeGreaterThan(10);
  });

  it.each(FILES.map((f) => [relative(repoPath('.'), f), f] as const))(
    '%s: every relative link resolves',
    (_name, file) => {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      const broken: string[] = [];
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue; // http(s), mailto
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const linked = path === '' ? file : join(dirname(file), path);
        if (!existsSync(linked)) {
          broken.push(target!);
          continue;
        }
        if (anchor && linked.endsWith('.md') && !slugs(readFileSync(linked, 'utf8')).has(anchor)) broken.push(target!);
      }
      expect(broken).toEqual([]);
    },
  );
});
