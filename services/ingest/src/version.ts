// The version Pushwire reports (the OpenAPI document's info.version), read from this package's manifest so it is
// declared once. The same relative path holds from src/ (tsx, tests) and from dist/ (the compiled build).
import { readFileSync } from 'node:fs';

export const PUSHWIRE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
