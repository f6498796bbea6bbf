// Sylk's `allowed_hosts`: empty allows everyone, else the client address must be in one of the networks.
import { NetworkSet } from './callers/network-set.js';

export class AccessList {
  private readonly networks: NetworkSet;

  /** @param cidrs normalised networks from the config (`10.0.0.1/32`, `fd00::/8`). */
  constructor(cidrs: readonly string[]) {
    this.networks = new NetworkSet(cidrs);
  }

  /** @param address the client address (after trusted-proxy resolution); a non-IP never matches a list. */
  allows(address: string | undefined): boolean {
    return this.networks.size === 0 || this.networks.has(address);
  }
}
