// The audit board in a real browser (Debian's Chromium driven by playwright-core, no browser download): a push
// retried twice then delivered; log in, open the link GET /v1/calls/{call-id} gives for it, see the job page with
// its attempts; screenshot under test/artifacts/; refused without credentials (docs/decisions/0013-audit-board-and-job-ids.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const SYLK = 'com.pushwire.sandbox.sylk.dev';
const USER = 'auditor';
const PASSWORD = 'board e2e password';

/** Debian's Chromium, installed here if missing and possible (.ci/run installs it too); null with the reason otherwise. */
function findChromium(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.getuid?.() !== 0)
    return `${CHROMIUM} is missing and this user cannot install it (apt-get install chromium as root)`;
  try {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], {
      stdio: 'ignore',
      timeout: 600_000,
    });
  } catch (error) {
    return `${CHROMIUM} is missing and apt-get install chromium failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is still missing after apt-get install chromium`;
}

const missing = findChromium();
if (missing) console.warn(`SKIPPING the Bull Board browser test: ${missing}`);

describe.skipIf(missing !== null)('audit board in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({
      env: { PUSHWIRE_RETRY_BASE_MS: '50', PUSHWIRE_ADMIN_USER: USER, PUSHWIRE_ADMIN_PASSWORD: PASSWORD },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('follows /v1/calls/{call-id} to the job page of a push retried twice, then delivered', async () => {
    const callId = 'board-call:1@example.com';
    const token = 'b'.repeat(64);
    stack.sandbox.apns.failToken(token, { status: 503, reason: 'ServiceUnavailable', times: 2 });
    const res = await stack.post('/push', {
      'app-id': SYLK,
      platform: 'apple',
      token,
      event: 'message',
      'call-id': callId,
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'sms',
      silent: true,
      content: 'hi',
    });
    expect(res.status).toBe(200);
    expect(stack.sandbox.apns.requests.filter((r) => r.token === token).map((r) => r.status)).toEqual([503, 503, 200]);

    const context = await browser.newContext({
      httpCredentials: { username: USER, password: PASSWORD },
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    // Closed networks and auditors' browsers: the board must ask nothing of another origin (fonts included).
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    // The worker records the result right after answering: read until it is there (no sleeping).
    type History = { pushes: { board: string; job_id: string; status: string; attempts: { code: number }[] }[] };
    let push: History['pushes'][number] | undefined;
    for (let tries = 0; tries < 100 && push?.status !== 'delivered'; tries += 1) {
      const answer = await page.goto(`${stack.url}/v1/calls/${encodeURIComponent(callId)}`);
      expect(answer?.status()).toBe(200);
      push = ((await answer!.json()) as History).pushes[0];
    }
    if (!push) throw new Error('no push in the call history');
    expect(push.status).toBe('delivered');
    expect(push.attempts.map((a) => a.code)).toEqual([503, 503, 200]);

    const board = await page.goto(`${stack.url}${push.board}`);
    expect(board?.status()).toBe(200);
    expect(board?.headers()['content-security-policy']).toMatch(
      /^default-src 'self'; script-src 'self'; style-src 'self'/,
    );
    // The job page: its id, its name (the call-id), the attempt count BullMQ kept (attemptsMade = 3), its data.
    await page.getByText(push.job_id).first().waitFor();
    await page.getByText(callId).first().waitFor();
    await page.getByText('attempt #3').waitFor();
    await page.getByText('jobData').first().waitFor();
    const body = await page.textContent('body');
    expect(body).toContain('push.apple.com.pushwire.sandbox.sylk.dev');
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => !url.startsWith(`${stack.url}/`) && !url.startsWith('data:'))).toEqual([]);
    // The policy lets nothing load from elsewhere. What it refuses is at most a <style> the board's code editor
    // (CodeMirror) injects at run time; the page renders without it (the screenshot below).
    expect(refused.filter((message) => !message.startsWith('Applying inline style violates'))).toEqual([]);
    expect(refused.length).toBeLessThanOrEqual(1);
    expect(body).not.toMatch(/authorization|bearer|BEGIN PRIVATE KEY/i);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = `${ARTIFACTS}admin-board-job.png`;
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await context.close();
  });

  it('refuses the board and the history without credentials, or with wrong ones', async () => {
    const paths = [
      '/admin',
      '/admin/queue/push.apple.com.pushwire.sandbox.sylk.dev',
      '/v1/calls/board-call%3A1%40example.com',
    ];
    // No login: the browser gets the 401 challenge with nothing to answer it with, and shows nothing.
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    for (const path of paths) {
      await expect(page.goto(`${stack.url}${path}`), path).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
      const answer = await anonymous.request.get(`${stack.url}${path}`);
      expect(answer.status(), path).toBe(401);
      expect(answer.headers()['www-authenticate']).toMatch(/^Basic realm="Pushwire audit"/);
      expect(await answer.text()).not.toContain('board-call');
    }
    await anonymous.close();

    // A wrong password: 401, and the page is Pushwire's refusal, not the board.
    const wrong = await browser.newContext({ httpCredentials: { username: USER, password: 'not the password' } });
    const wrongPage = await wrong.newPage();
    for (const path of paths) {
      const answer = await wrongPage.goto(`${stack.url}${path}`);
      expect(answer?.status(), path).toBe(401);
      expect(await wrongPage.textContent('body')).toContain('authentication required');
    }
    await wrong.close();
  });
});
