// Preloaded with `node --import` by the lazy-loading tests: appends every module the process loads to the file
// named by PUSHWIRE_LOAD_LOG, one URL a line: ES modules (and CommonJS entered from them) through a load hook,
// CommonJS required from CommonJS from require.cache when the process exits. Plain JavaScript: it runs under
// plain node, in front of the compiled code.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const log = process.env.PUSHWIRE_LOAD_LOG;
if (!log) throw new Error('load-recorder.mjs needs PUSHWIRE_LOAD_LOG');
register('./load-recorder-hooks.mjs', import.meta.url, { data: { log } });
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  appendFileSync(
    log,
    Object.keys(cache)
      .map((path) => `${pathToFileURL(path).href}\n`)
      .join(''),
  );
});
