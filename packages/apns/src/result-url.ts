// The `url` of an APNs result as Sylk reports it: `f'{client.base_url}{path}'` with httpx 0.23, whose base URL
// prints without its trailing `/` and without the default :443 (checked against Debian's python3-httpx 0.23.3:
// test/golden/hand-checked). The reference's double slash is wrong.
import { isIP } from 'node:net';

/** A host as it appears in a URL (IPv6 in brackets). */
export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** `https://<host>[:<port>]`, the port left out when it is 443. */
export function apnsResultBase(host: string, port: number): string {
  return port === 443 ? `https://${hostForUrl(host)}` : `https://${hostForUrl(host)}:${port}`;
}

/** `https://<host>[:<port>]/3/device/<token>`. */
export function apnsResultUrl(host: string, port: number, token: string): string {
  return `${apnsResultBase(host, port)}/3/device/${token}`;
}
