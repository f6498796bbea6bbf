// A set of IP networks (CIDRs) and the one way Pushwire spells a client address, shared by allowed_hosts and
// trusted_proxies so both match an address the same way.
import { BlockList, isIP } from 'node:net';

/**
 * An address as matched and logged: IPv4 clients of a dual-stack socket (`::ffff:a.b.c.d`) as plain IPv4,
 * IPv6 in lower case. Anything that is not an IP comes back unchanged (and matches no network).
 */
export function plainAddress(address: string): string {
  const text = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  return isIP(text) === 6 ? text.toLowerCase() : text;
}

export class NetworkSet {
  private readonly list = new BlockList();
  readonly size: number;

  /** @param cidrs normalised networks from the config (`10.0.0.1/32`, `fd00::/8`). */
  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [net, bits] = cidr.split('/');
      const family = isIP(net ?? '') === 6 ? 'ipv6' : 'ipv4';
      this.list.addSubnet(net!, Number(bits ?? (family === 'ipv6' ? 128 : 32)), family);
    }
    this.size = cidrs.length;
  }

  has(address: string | undefined): boolean {
    if (address === undefined || this.size === 0) return false;
    const plain = plainAddress(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}
