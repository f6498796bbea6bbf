// Sylk's `allowed_hosts`: empty allows everyone, else the client address must be in one of the networks.
import { BlockList, isIP } from 'node:net';

export class AccessList {
  private readonly list: BlockList | null;

  /** @param cidrs normalised networks from the config (`10.0.0.1/32`, `fd00::/8`). */
  constructor(cidrs: readonly string[]) {
    if (cidrs.length === 0) {
      this.list = null;
      return;
    }
    this.list = new BlockList();
    for (const cidr of cidrs) {
      const [net, bits] = cidr.split('/');
      const family = isIP(net ?? '') === 6 ? 'ipv6' : 'ipv4';
      this.list.addSubnet(net!, Number(bits ?? (family === 'ipv6' ? 128 : 32)), family);
    }
  }

  allows(address: string | undefined): boolean {
    if (!this.list) return true;
    if (!address) return false;
    // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}
