// The user documentation as one text: README.md, then every docs/*.md (decision records aside), so a test of an
// example finds it wherever it is documented.
import { readdirSync, readFileSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url);

export function documentationText(): string {
  const docs = readdirSync(new URL('docs/', ROOT))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => readFileSync(new URL(`docs/${name}`, ROOT), 'utf8'));
  return [readFileSync(new URL('README.md', ROOT), 'utf8'), ...docs].join('\n');
}
