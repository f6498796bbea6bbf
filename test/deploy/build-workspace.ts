// Vitest global setup of the deploy project: `pnpm build` (incremental), so that the tests that run the compiled
// code (the image's ENTRYPOINT, the lazy-loading checks) run what the sources say now, however the suite started.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './repo-files.js';

export default function buildWorkspace(): void {
  const tsc = createRequire(`${REPO_ROOT}package.json`).resolve('typescript/bin/tsc');
  // Same command as the root package.json's "build" script; a compile error fails the project with tsc's report.
  execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
