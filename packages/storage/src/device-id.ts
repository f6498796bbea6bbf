// Device-id normalisation for v2 tokens: Pushwire's proper prefix strip, and Sylk's legacy character strip.

const URN_UUID = /^urn:uuid:/i;

/**
 * The stored form of a client's device id: one leading `<`, a `urn:uuid:` prefix (any case) and one trailing
 * `>` removed, nothing else (`<urn:uuid:8a3f…9a1d>` → `8a3f…9a1d`, `dead…` unchanged).
 */
export function normalizeDeviceId(raw: string): string {
  let id = raw.startsWith('<') ? raw.slice(1) : raw;
  id = id.replace(URN_UUID, '');
  if (id.endsWith('>')) id = id.slice(0, -1);
  return id;
}

// The characters of Sylk's `strip("<urn:uuid:>")` argument, taken as a set by Python.
const LEGACY_STRIP_SET = new Set('<urn:uuid:>');

/**
 * Python's `raw.strip("<urn:uuid:>")`, as Sylk Pushserver stores device ids: every character of `<urn:id>`
 * removed from both ends (`urn:uuid:8a3f…9a1d` → `8a3f…9a1`, `dead…` → `ead…`). Lookups also try this form
 * so devices that Sylk wrote (shared Cassandra table, imported pickle) still match.
 */
export function legacyStrippedDeviceId(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && LEGACY_STRIP_SET.has(raw[start]!)) start++;
  while (end > start && LEGACY_STRIP_SET.has(raw[end - 1]!)) end--;
  return raw.slice(start, end);
}
