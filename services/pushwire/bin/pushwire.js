#!/usr/bin/env node
// The installed `pushwire` command: the compiled code (dist/, made by `pnpm build`) run by plain node.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  // A checkout that was never built: say how to build, or how to run the sources without a build.
  process.stderr.write(
    'pushwire is not built: run `pnpm build` first (or `pnpm pushwire <command>` to run the TypeScript sources)\n',
  );
  process.exit(1);
}
await import(main.href);
