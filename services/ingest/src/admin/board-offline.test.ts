// The board's page names no other origin and carries a self-only Content-Security-Policy.
import { describe, expect, it } from 'vitest';
import { createBoard } from './board.js';
import { BOARD_CSP, offlinePage } from './board-offline.js';

describe('the board offline', () => {
  it('serves its page without remote fonts, with a self-only CSP and a correct length', async () => {
    const board = createBoard({ basePath: '/admin', queues: [], redactContent: () => false });
    const page = await board.app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(BOARD_CSP);
    const html = await page.text();
    expect(html).toContain('static/js/main.');
    expect(html).not.toMatch(/(?:href|src)=["'](?:https?:)?\/\//);
    expect(html).not.toMatch(/style=|<style/);
    const length = page.headers.get('content-length');
    if (length !== null) expect(Number(length)).toBe(Buffer.byteLength(html));
    // Assets get the policy too.
    const script = /src="(static\/js\/main\.[^"]+)"/.exec(html)?.[1];
    expect((await board.app.request(`/${script}`)).headers.get('content-security-policy')).toBe(BOARD_CSP);
  });

  it('keeps same-origin tags, drops remote ones and inline styles', () => {
    const html =
      '<link href="static/css/a.css" rel="stylesheet"><link href="https://fonts.example/x" rel="stylesheet"><script src="//cdn.example/x.js"></script>' +
      '<script src="static/js/a.js"></script><div id="root"><span style="gap:1rem;">Loading</span><style>@keyframes x{}</style></div>';
    expect(offlinePage(html)).toBe(
      '<link href="static/css/a.css" rel="stylesheet"><script src="static/js/a.js"></script><div id="root"><span>Loading</span></div>',
    );
  });
});
