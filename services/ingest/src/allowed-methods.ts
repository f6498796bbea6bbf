// Which methods a path serves, read from the app's own routes, so a wrong method answers 405 as Starlette does
// (not 404) for exactly the paths the app registered, with no second list to keep in step.
import type { Hono } from 'hono';

/** A Hono route path (`/v2/tokens/:account/push/:device`, `/admin/static/*`) as a regular expression. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return segment.endsWith('?') ? '?[^/]*' : '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The methods registered for `path` (GET implies HEAD, as Hono answers HEAD with the GET handler). */
export function allowedMethods(app: Hono, path: string): Set<string> {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue; // middleware (`app.use`) serves no method by itself
    if (!pathPattern(route.path).test(path)) continue;
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
  }
  return methods;
}
