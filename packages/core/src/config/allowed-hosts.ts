// Sylk's `[server] allowed_hosts` ACL: exact ", " separators, bare addresses become single hosts.
import { parseNetwork } from './cidr.js';

/**
 * Parses `allowed_hosts` into canonical CIDRs, as Sylk: items are separated by exactly `", "` and each
 * must be a strict network (no host bits). A bare IPv4 address gets `/32`; a bare IPv6 address gets
 * `/128` (Sylk appends `/32` and so rejects it: a deliberate fix). An empty value allows everyone, like
 * a missing one. Throws `NetworkParseError` with Python's wording for the first bad item.
 */
export function parseAllowedHosts(value: string): string[] {
  if (value === '') return [];
  const networks = value.split(', ').map((item) => {
    const withPrefix = item.includes('/') ? item : `${item}/${item.includes(':') ? 128 : 32}`;
    return parseNetwork(withPrefix).cidr;
  });
  return [...new Set(networks)];
}
