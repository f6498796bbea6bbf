// A TLS server that records every request and answers like APNs, FCM and an OAuth token endpoint would on success.
import { once } from 'node:events';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Pem } from '@pushwire/sandbox-emulators';

export interface CapturedRequest {
  httpVersion: string;
  method: string;
  path: string;
  /** Lower-case names, as node reports them for both HTTP/1.1 and HTTP/2. */
  headers: Record<string, string>;
  body: string;
}

export interface CaptureServer {
  port: number;
  /** The access token the `/token` endpoint hands out. */
  accessToken: string;
  /** Returns and forgets what was received since the last call. */
  take(): CapturedRequest[];
  close(): Promise<void>;
}

const ACCESS_TOKEN = 'ya29.golden-access-token';

function answer(req: Http2ServerRequest, res: Http2ServerResponse): void {
  if (req.url.startsWith('/3/device/')) {
    res.writeHead(200, { 'apns-id': '00000000-0000-0000-0000-000000000001' });
    res.end();
  } else if (req.url === '/token') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: ACCESS_TOKEN, expires_in: 3599, token_type: 'Bearer' }));
  } else if (req.url === '/fcm/send') {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(
      JSON.stringify({ multicast_id: 1, success: 1, failure: 0, canonical_ids: 0, results: [{ message_id: '0:1' }] }),
    );
  } else {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify({ name: 'projects/golden-test/messages/0:1' }));
  }
}

/** HTTP/2 for APNs clients, HTTP/1.1 (allowHTTP1) for the FCM and token clients; listens on a free loopback port. */
export async function startCaptureServer(tls: Pem): Promise<CaptureServer> {
  let received: CapturedRequest[] = [];
  const server = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      received.push({
        httpVersion: req.httpVersion,
        method: req.method,
        path: req.url,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    accessToken: ACCESS_TOKEN,
    take() {
      const out = received;
      received = [];
      return out;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
