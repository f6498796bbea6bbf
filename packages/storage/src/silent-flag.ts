// Sylk's `silent` flag as the other writers store it: a bool (pickle), '1'/'0' text (Cassandra), an int.

/** Sylk reads `bool(int(silent))`; an absent flag takes the v2 API default, true. */
export function parseSilentFlag(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  if (typeof value === 'string') return !/^\s*(0+|false|no|off)\s*$/i.test(value);
  return true;
}
