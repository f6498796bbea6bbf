// Container health probe: exits 0 when `GET <url>` answers 2xx within the time limit, 1 otherwise.
// Plain JavaScript on purpose: Docker runs it every few seconds, and loading tsx for it would cost more than
// the check itself. Slim Node images have no curl or wget, hence node.
//
// Usage: node deploy/healthcheck.mjs [URL]   (default http://127.0.0.1:8400/healthz)
// An https URL is accepted without verifying the certificate: the probe only asks the container's own
// listener whether it answers, the same process that owns the certificate.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const TIMEOUT_MS = 2500;
const url = new URL(process.argv[2] ?? 'http://127.0.0.1:8400/healthz');
const request = url.protocol === 'https:' ? httpsRequest : httpRequest;

const req = request(url, { method: 'GET', timeout: TIMEOUT_MS, rejectUnauthorized: false }, (res) => {
  res.resume();
  const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
  if (!ok) process.stderr.write(`${url.href}: HTTP ${res.statusCode}\n`);
  process.exit(ok ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
req.on('error', (error) => {
  process.stderr.write(`${url.href}: ${error.message}\n`);
  process.exit(1);
});
req.end();
