// The SSRF guard: a subscription endpoint's host must be one of the app's push services. (docs/decisions/0025-web-push.md)

/**
 * Whether `hostname` (as `URL.hostname` gives it) matches one of `patterns`: an exact host, or `*.domain`
 * for any host strictly below `domain`. IPv6 literals compare with their brackets, as URL writes them.
 */
export function isAllowedHost(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === '') return false;
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    if (!p.startsWith('*.')) return host === p;
    const domain = p.slice(1);
    return host.endsWith(domain) && host.length > domain.length;
  });
}
