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

const MAPPED = 0xffffn << 32n;

/**
 * Warnings for IPv6 networks that cover IPv4-mapped addresses (`::ffff:0:0/96`, `::/0`): an IPv4 client is
 * matched against IPv4 networks only, as in Sylk, so such an entry never admits (or trusts) one.
 */
export function mappedNetworkWarnings(cidrs: readonly string[], where: string): string[] {
  const warnings: string[] = [];
  // Every IPv4 client is admitted anyway.
  if (cidrs.includes('0.0.0.0/0')) return warnings;
  for (const cidr of cidrs) {
    const net = parseNetwork(cidr);
    if (net.family !== 6) continue;
    const keep = 128 - net.prefixLength;
    const covers =
      net.prefixLength <= 96
        ? (MAPPED >> BigInt(keep)) << BigInt(keep) === net.address
        : net.address >> 32n === 0xffffn;
    if (!covers) continue;
    warnings.push(
      `${where}: ${cidr} covers IPv4-mapped addresses, but IPv4 clients are matched against IPv4 networks only: ` +
        'it admits none of them (write the IPv4 network, e.g. 0.0.0.0/0 or 192.0.2.0/24)',
    );
  }
  return warnings;
}
