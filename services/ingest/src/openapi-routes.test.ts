// The OpenAPI document's paths are the app's routes: every route Pushwire registers carries its description,
// and every described operation is a route the app serves.
import { afterAll, describe, expect, it } from 'vitest';
import { createBoard } from './admin/board.js';
import { BOARD_PATH } from './admin/audit-deps.js';
import { specOf } from './describe-route.js';
import { openApiPath } from './openapi.js';
import { createTestIngest } from './test-support/ingest-app.js';

const board = createBoard({ basePath: BOARD_PATH, queues: [], redactContent: () => false });
const ingest = await createTestIngest({
  audit: {
    credentials: () => null,
    allowedHosts: () => null,
    history: { read: async () => [] },
    board: board.app,
  },
  metrics: { middleware: async (_c, next) => next(), route: (c) => c.text('') },
});
afterAll(() => ingest.close());

/** Bull Board's own routes (its pages, assets and JSON API) are not Pushwire's API and are not described. */
const boardRoutes = new Set(
  board.app.routes.map((r) => `${r.method} ${r.path === '/' ? BOARD_PATH : `${BOARD_PATH}${r.path}`}`),
);

describe('OpenAPI paths from the registered routes', () => {
  it('describes every route the app registers (middleware and the board excepted)', () => {
    const described = new Set(ingest.app.routes.filter((r) => specOf(r.handler)).map((r) => `${r.method} ${r.path}`));
    const undescribed = ingest.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path}`)
      .filter((route) => !described.has(route) && !boardRoutes.has(route));
    expect(undescribed).toEqual([]);
  });

  it('serves exactly the described operations, with path parameters in braces', async () => {
    const document = (await (await ingest.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routes = ingest.app.routes.filter((r) => specOf(r.handler)).map((r) => `${r.method} ${openApiPath(r.path)}`);
    expect(documented).toEqual(routes);
    expect(documented).toContain('GET /v1/calls/{call-id}');
    expect(documented).toContain('POST /v2/tokens/{account}/push/{device}');
  });
});
