// Test helper: a TCP proxy whose open connections can turn into black holes (a path that silently died).
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface BlackHoleProxy {
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** From now on, every open connection swallows bytes both ways and never closes by itself. */
  swallowOpenConnections(): void;
  /** Resolves when the client side of a swallowed connection closes (the client gave up on it). */
  clientGaveUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startBlackHoleProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<BlackHoleProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let accepted = 0;
  let gaveUp!: () => void;
  const clientGaveUp = new Promise<void>((resolve) => (gaveUp = resolve));

  const server: Server = createServer((client) => {
    accepted += 1;
    const upstream = connect(targetPort, targetHost);
    const pair = { client, upstream };
    pairs.add(pair);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');

  return {
    port: address.port,
    connections: () => accepted,
    swallowOpenConnections() {
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.removeAllListeners('close');
        // Keep reading (and dropping) so the client's FIN is still seen when it gives up.
        client.on('data', () => undefined).resume();
        upstream.on('data', () => undefined).resume();
        client.once('close', () => gaveUp());
      }
    },
    clientGaveUp: () => clientGaveUp,
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
