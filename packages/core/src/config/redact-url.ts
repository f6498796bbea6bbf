// URLs fit for logs, the audit board and the configuration dump: credentials in the user info and secret-named
// query parameters (`key`, `api_key`, `token`, `sig` …) replaced by "[redacted]", the rest kept to tell sinks apart.
export const URL_REDACTED = '[redacted]';

/** Query parameter names whose value is a credential. */
const SECRET_PARAM = /key|token|secret|passw|pwd|sig|auth|credential/i;

/** `scheme://userinfo@` at the start of a URL (userinfo without `/`, `@` or spaces). */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^\s/@]*)@/i;

/**
 * `https://user:pass@host/p?key=k&x=1` → `https://user:[redacted]@host/p?key=[redacted]&x=1`; a user info
 * without a password (a key used as the user name) becomes `[redacted]@`. Other URLs are returned as they are.
 */
export function redactUrlSecrets(url: string): string {
  let out = url.replace(USERINFO, (_match, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    return colon === -1 ? `${scheme}${URL_REDACTED}@` : `${scheme}${info.slice(0, colon)}:${URL_REDACTED}@`;
  });
  const query = out.indexOf('?');
  if (query !== -1) {
    const hash = out.indexOf('#', query);
    const end = hash === -1 ? out.length : hash;
    const params = out
      .slice(query + 1, end)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq === -1) return pair;
        const name = pair.slice(0, eq);
        let decoded = name;
        try {
          decoded = decodeURIComponent(name);
        } catch {
          // A malformed escape: judge the name as written.
        }
        return SECRET_PARAM.test(decoded) ? `${name}=${URL_REDACTED}` : pair;
      });
    out = `${out.slice(0, query + 1)}${params.join('&')}${out.slice(end)}`;
  }
  return out;
}

/** Every http(s) URL inside a text redacted as {@link redactUrlSecrets} (a log line, a job's data shown on the board). */
export function redactUrlsInText(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (url) => redactUrlSecrets(url));
}
