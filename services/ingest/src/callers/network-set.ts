// A set of IP networks (CIDRs) and the one way Pushwire spells a client address, shared by allowed_hosts,
// trusted_proxies and the admin allowed_hosts so all of them match an address the same way.
import { BlockList, isIP } from 'node:net';
import { parseNetwork } from '@pushwire/core';

/** Upper 96 bits of an IPv4-mapped IPv6 address (`::ffff:0:0/96`). */
const MAPPED_PREFIX = 0xffffn;

/**
 * An address as matched and logged: IPv4 clients of a dual-stack socket (`::ffff:a.b.c.d`, also written
 * `::ffff:a00:1`) as plain IPv4, IPv6 in lower case. Anything that is not an IP comes back unchanged (and
 * matches no network).
 */
export function plainAddress(address: string): string {
  const text = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  if (isIP(text) !== 6) return text;
  // Other spellings of a mapped address (hex tail, zeros written out) are rare: parse only when one may be.
  if (/ffff/i.test(text) && !text.includes('%')) {
    const value = mappedValue(text);
    if (value !== null) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  return text.toLowerCase();
}

/** The address as a number when it is IPv4-mapped, else null. */
function mappedValue(text: string): bigint | null {
  try {
    const value = parseNetwork(`${text}/128`).address;
    return value >> 32n === MAPPED_PREFIX ? value : null;
  } catch {
    return null;
  }
}

/**
 * Networks matched as Sylk's `ipaddress` check does: an IPv4 address only against IPv4 networks, an IPv6
 * address only against IPv6 networks. Node's BlockList alone would let `::/0` or `::ffff:0:0/96` admit every
 * IPv4 client (it maps IPv4 into IPv6 rules), so each family has a list of its own.
 */
export class NetworkSet {
  private readonly v4 = new BlockList();
  private readonly v6 = new BlockList();
  readonly size: number;

  /** @param cidrs normalised networks from the config (`10.0.0.1/32`, `fd00::/8`). */
  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [net, bits] = cidr.split('/');
      if (isIP(net ?? '') === 6) this.v6.addSubnet(net!, Number(bits ?? 128), 'ipv6');
      else this.v4.addSubnet(net!, Number(bits ?? 32), 'ipv4');
    }
    this.size = cidrs.length;
  }

  has(address: string | undefined): boolean {
    if (address === undefined || this.size === 0) return false;
    const plain = plainAddress(address);
    const family = isIP(plain);
    if (family === 4) return this.v4.check(plain, 'ipv4');
    if (family === 6) return this.v6.check(plain, 'ipv6');
    return false;
  }
}
