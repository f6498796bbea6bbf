// Who is calling: the TCP peer, or, behind a trusted reverse proxy, the address the proxy saw.
import { isIP } from 'node:net';
import { plainAddress, type NetworkSet } from './network-set.js';

/** Longest X-Forwarded-For entry kept for logs and matching; a real address is far shorter. */
const MAX_ENTRY_LENGTH = 64;

/**
 * The client address. `X-Forwarded-For` counts only when the TCP peer is a trusted proxy; then the client is
 * the right-most entry that is not itself a trusted proxy (each proxy appends the address it saw, so the
 * entries left of the first untrusted one are the client's own claims). If every entry is a trusted proxy,
 * the left-most is the best there is. A peer that is not trusted gets its header ignored: it could write
 * anything there. An entry that is not an IP is returned as written (it then matches no allowed_hosts network).
 *
 * @param peer the TCP peer's address
 * @param forwardedFor the request's X-Forwarded-For (several headers joined with ", ", as fetch does)
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: NetworkSet,
): string | undefined {
  const client = peer === undefined ? undefined : plainAddress(peer);
  if (forwardedFor === undefined || trusted.size === 0 || !trusted.has(client)) return client;
  const entries = forwardedFor
    .split(',')
    .map((e) => entryAddress(e))
    .filter((e) => e !== '');
  if (entries.length === 0) return client;
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    if (!trusted.has(entries[i])) return entries[i];
  }
  return entries[0];
}

/** One entry as an address: `[2001:db8::1]:443` and `192.0.2.1:8080` (some proxies add the port) lose the port. */
function entryAddress(entry: string): string {
  const text = entry.trim().slice(0, MAX_ENTRY_LENGTH);
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return plainAddress(bracketed[1]!);
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(text);
  if (v4WithPort && isIP(v4WithPort[1]!) === 4) return v4WithPort[1]!;
  return plainAddress(text);
}
