import { X509Certificate } from 'node:crypto';
import { connect, createServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTestCa } from './tls.js';

describe('createTestCa', () => {
  const ca = createTestCa();

  it('issues a server certificate a client trusting only the CA accepts for 127.0.0.1', async () => {
    const server = createServer({ ...ca.issueServer() }, (s) => s.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: ca.cert }, () => undefined);
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    server.close();
    expect(text).toBe('hi');
  });

  it('puts the topic in the client certificate UID', () => {
    const client = new X509Certificate(ca.issueClient({ commonName: 'Apple Push Services: com.x', uid: 'com.x' }).cert);
    expect(client.subject).toContain('UID=com.x');
    expect(client.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
  });
});
