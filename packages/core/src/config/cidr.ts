// Strict IP network parsing, as Python's `ipaddress.ip_network(net, strict=True)` that Sylk's ACL uses.

/** A parsed network in canonical form. */
export interface IpNetwork {
  family: 4 | 6;
  /** The network address as a number (IPv4: 32 bits, IPv6: 128 bits). */
  address: bigint;
  prefixLength: number;
  /** Canonical text, e.g. `10.0.0.0/24`, `2001:db8::/32`. */
  cidr: string;
}

/** Thrown with Python's wording, so `wrong acl settings: <message>` reads as Sylk's. */
export class NetworkParseError extends Error {
  override name = 'NetworkParseError';
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    // Python rejects leading zeros (ambiguous octal) and anything but 1–3 ASCII digits.
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  let groupsText = text;
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // An embedded IPv4 tail (`::ffff:10.0.0.1`) counts as two groups.
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [v4 >> 16n, v4 & 0xffffn];
    groupsText = `${text.slice(0, lastColon + 1)}0`;
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (half: string): bigint[] | null => {
    if (half === '') return [];
    const groups = half.split(':');
    if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return null;
    return groups.map((g) => BigInt(parseInt(g, 16)));
  };
  const head = parseGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === null || rest === null) return null;
  if (tail.length > 0) {
    // The placeholder `0` group stands where the IPv4 tail goes.
    (halves.length === 2 ? rest : head).pop();
  }
  const explicit = head.length + rest.length + tail.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (explicit > 7) return null;
    groups = [...head, ...Array<bigint>(8 - explicit).fill(0n), ...rest, ...tail];
  } else {
    if (explicit !== 8) return null;
    groups = [...head, ...tail];
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952 text (Python's `compressed`): lower case, the longest run of 2+ zero groups becomes `::`. */
function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** A dotted IPv4 mask as a prefix length; Python accepts a netmask (`255.255.255.0`) or a hostmask (`0.0.0.255`). */
function prefixFromIpv4Mask(text: string): number | null {
  const mask = parseIpv4(text);
  if (mask === null) return null;
  for (let prefix = 0; prefix <= 32; prefix += 1) {
    const netmask = ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - prefix)) - 1n);
    if (mask === netmask) return prefix;
  }
  for (let prefix = 0; prefix <= 32; prefix += 1) {
    if (mask === (1n << BigInt(32 - prefix)) - 1n) return prefix;
  }
  return null;
}

/**
 * Parses `address[/prefix]` strictly: the address must be the network address (no host bits), as
 * `ip_network(net, strict=True)`. Throws {@link NetworkParseError} with Python's message otherwise.
 */
export function parseNetwork(text: string): IpNetwork {
  const invalid = new NetworkParseError(`'${text}' does not appear to be an IPv4 or IPv6 network`);
  const parts = text.split('/');
  if (parts.length > 2) throw invalid;
  const addressText = parts[0] ?? '';
  const prefixText = parts[1];

  const v4 = parseIpv4(addressText);
  const address = v4 ?? parseIpv6(addressText);
  if (address === null) throw invalid;
  const family = v4 !== null ? 4 : 6;
  const bits = family === 4 ? 32 : 128;

  let prefixLength = bits;
  if (prefixText !== undefined) {
    if (/^\d+$/.test(prefixText)) prefixLength = Number(prefixText);
    else if (family === 4) prefixLength = prefixFromIpv4Mask(prefixText) ?? -1;
    else prefixLength = -1;
    if (prefixLength < 0 || prefixLength > bits) throw invalid;
  }

  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  const addressTextCanonical = family === 4 ? formatIpv4(address) : formatIpv6(address);
  if ((address & hostMask) !== 0n) {
    throw new NetworkParseError(`${addressTextCanonical}/${prefixLength} has host bits set`);
  }
  return { family, address, prefixLength, cidr: `${addressTextCanonical}/${prefixLength}` };
}
