// The 405 rule comes from the app's own routes: every registered path answers 405 to a method it does not serve
// (Starlette's body), including routes added after this test was written; unknown paths stay 404.
import type { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestIngest } from './test-support/ingest-app.js';
import { PUSHWIRE_VERSION } from './version.js';

const ingest = await createTestIngest();
afterAll(() => ingest.close());

/** A concrete path for a route pattern (`:account` → a value, `*` → a file). */
const concrete = (path: string) =>
  path
    .replace(/:account\??/g, 'alice@example.com')
    .replace(/:[A-Za-z]+\??/g, 'x')
    .replace(/\*/g, 'x.js');

function registeredRoutes(app: Hono): Array<{ path: string; methods: Set<string> }> {
  const byPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ path, methods }));
}

describe('405 from the routes the app registered', () => {
  const routes = registeredRoutes(ingest.app);

  it('covers Sylk’s routes', () => {
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/',
        '/push',
        '/v2/tokens/:account',
        '/v2/tokens/:account/push',
        '/v2/tokens/:account/push/:device',
      ]),
    );
  });

  it.each(routes.map((r) => [r.path, r] as const))(
    '%s: a method it does not serve answers 405',
    async (_path, route) => {
      const wrong = ['PUT', 'PATCH', 'DELETE', 'POST', 'GET'].find(
        (m) => !route.methods.has(m) && !(m === 'GET' && route.methods.has('HEAD')),
      )!;
      const res = await ingest.app.request(concrete(route.path), { method: wrong });
      expect([res.status, await res.json()]).toEqual([405, { detail: 'Method Not Allowed' }]);
    },
  );

  it('keeps 404 for a path no route serves, whatever the method', async () => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const res = await ingest.app.request('/v2/tokens/alice@example.com/push/dev/extra', { method });
      expect([res.status, await res.json()]).toEqual([404, { detail: 'Not Found' }]);
    }
  });
});

describe('one version', () => {
  it('is the ingest package’s own, in the OpenAPI document', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default as { version: string };
    expect(PUSHWIRE_VERSION).toBe(version);
    const doc = (await (await ingest.app.request('/openapi.json')).json()) as { info: { version: string } };
    expect(doc.info.version).toBe(version);
  });
});
