// The emulator's HTTP/2 connections: counting them, and the connection-level moves APNs makes
// (SETTINGS updates, GOAWAY, a dropped socket).
import { constants, type Http2SecureServer, type Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { inspectClientCertificate, type ConnectionCertificate } from './certificate-auth.js';

/** Apple may put an error's JSON in a GOAWAY frame; a planned close says the server is shutting down. */
const GOAWAY_DEBUG_DATA = Buffer.from(JSON.stringify({ reason: 'Shutdown' }));

interface Connection {
  info: ApnsConnection;
  socket: TLSSocket;
  certificate: ConnectionCertificate;
}

/** One HTTP/2 connection a client opened, as a test sees it (e.g. to tell which process opened it). */
export interface ApnsConnection {
  /** 1, 2, 3 ... in the order the connections were opened; requests name theirs (`RecordedApnsRequest.connection`). */
  id: number;
  /** The client's side of the TCP connection (its local port): maps a connection to the process that owns it. */
  remotePort: number;
  open: boolean;
}

export class SessionRegistry {
  private readonly open = new Map<Http2Session, Connection>();
  /** Every connection ever opened, closed ones included, oldest first. */
  private readonly history: ApnsConnection[] = [];
  /** Raw TCP sockets, so close() can also end connections still in their TLS handshake. */
  private readonly sockets = new Set<Socket>();
  private opened = 0;
  private handshaken: TLSSocket | undefined;

  constructor(
    private readonly server: Http2SecureServer,
    private maxConcurrentStreams: number,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // Node's HTTP/2 server builds the session inside its own 'secureConnection' listener and emits 'session'
    // synchronously there; a listener put first sees the TLS socket just before. session.socket is a proxy
    // that refuses destroy(), and a `drop` fault needs the real socket.
    server.prependListener('secureConnection', (socket: TLSSocket) => {
      this.handshaken = socket;
    });
    server.on('session', (session: Http2Session) => {
      const socket = this.handshaken;
      this.handshaken = undefined;
      if (socket === undefined) {
        // Only if Node stops emitting 'session' inside 'secureConnection': fail loudly, never miscount.
        process.emitWarning('APNs emulator: HTTP/2 session without its TLS socket; destroying it');
        session.destroy();
        return;
      }
      this.opened += 1;
      const info: ApnsConnection = { id: this.opened, remotePort: socket.remotePort ?? 0, open: true };
      this.history.push(info);
      this.open.set(session, { info, socket, certificate: inspectClientCertificate(socket) });
      session.on('error', () => undefined);
      session.once('close', () => {
        info.open = false;
        this.open.delete(session);
      });
    });
  }

  count(): number {
    return this.open.size;
  }

  total(): number {
    return this.opened;
  }

  /** Every connection opened so far (copies), oldest first. */
  connections(): ApnsConnection[] {
    return this.history.map((c) => ({ ...c }));
  }

  /** The id of the connection a session runs on; 0 when the session is not (or no longer) registered. */
  idOf(session: Http2Session): number {
    return this.open.get(session)?.info.id ?? 0;
  }

  certificateOf(session: Http2Session): ConnectionCertificate {
    return this.open.get(session)?.certificate ?? { kind: 'none' };
  }

  /** Kills the connection under the session: no GOAWAY, no answer, as when a network path dies. */
  drop(session: Http2Session): void {
    this.open.get(session)?.socket.destroy();
  }

  goaway(): void {
    for (const session of this.live()) {
      session.goaway(constants.NGHTTP2_NO_ERROR, 0, GOAWAY_DEBUG_DATA);
      // close() lets in-flight streams finish, refuses new ones, then ends the connection.
      session.close();
    }
  }

  setMaxConcurrentStreams(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) {
      throw new RangeError(`maxConcurrentStreams must be an integer from 0 to 2^32-1, got ${n}`);
    }
    this.maxConcurrentStreams = n;
    this.server.updateSettings({ maxConcurrentStreams: n });
    for (const session of this.live()) session.settings({ maxConcurrentStreams: this.maxConcurrentStreams });
  }

  /** Destroys every connection at once (stalled streams included). */
  destroyAll(): void {
    for (const { socket } of this.open.values()) socket.destroy();
    for (const socket of this.sockets) socket.destroy();
  }

  private live(): Http2Session[] {
    return [...this.open.keys()].filter((s) => !s.closed && !s.destroyed);
  }
}
