// The module hooks of load-recorder.mjs (they run on Node's loader thread): every URL loaded, appended to the log.
import { appendFileSync } from 'node:fs';

let log = '';

export function initialize(data) {
  log = data.log;
}

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  appendFileSync(log, `${url}\n`);
  return result;
}
