// The http2-wrapper Agent of one APNs app, plus the session care the library leaves to its users.
import type { ClientHttp2Session, Http2Session, SecureClientSessionOptions } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { Agent } from 'http2-wrapper';
import type { ApnsLogger } from './apns-logger.js';
import type { ApnsConnectionObserver } from './connection-observer.js';
import { ReconnectBackoff, type ReconnectBackoffOptions } from './reconnect-backoff.js';

/**
 * http2-wrapper's own "draining, hand out no new streams" mark (exported as a static of Agent, absent
 * from its typings). Node closes a session on GOAWAY, but the Agent only skips sessions that are
 * destroyed or carry this mark, so without it every later request fails with ERR_HTTP2_GOAWAY_SESSION
 * until the old session has drained (checked on 2.2.4, see ENVIRONMENT.md).
 */
const kGracefullyClosing: unknown = (Agent as unknown as { kGracefullyClosing?: unknown }).kGracefullyClosing;
if (typeof kGracefullyClosing !== 'symbol') {
  throw new Error('http2-wrapper no longer exports Agent.kGracefullyClosing, which APNs GOAWAY handling relies on');
}
const GRACEFULLY_CLOSING: symbol = kGracefullyClosing;

/** Where a pending connection keeps its handshake deadline (read back through the session's socket proxy). */
const kConnectDeadline = Symbol('pushwire.apns.connectDeadline');

/** Marks a session with a health PING outstanding, so a burst of timeouts sends one PING, not many. */
const kProbing = Symbol('pushwire.apns.probing');

type Tagged = Record<symbol, unknown>;

export class ConnectTimeoutError extends Error {
  readonly code = 'PUSHWIRE_APNS_CONNECT_TIMEOUT';
  constructor(origin: string, ms: number) {
    super(`No HTTP/2 session with ${origin} within ${ms} ms (TLS or SETTINGS never completed)`);
    this.name = 'ConnectTimeoutError';
  }
}

export interface ApnsAgentOptions {
  /** Longest wait for a new connection to deliver the server's SETTINGS, ms. */
  connectTimeoutMs: number;
  appId: string;
  log?: ApnsLogger;
  /**
   * PING an open connection this often, ms, so one that died silently (NAT or firewall timeout, no RST)
   * is found and replaced while idle, not by the next push. Default 60000; 0 disables.
   */
  keepAliveMs?: number;
  /** Jittered backoff before reconnecting after a failed or reset connection. */
  reconnect?: ReconnectBackoffOptions;
  /** Told of connections opened and closed and of GOAWAYs (metrics). */
  observer?: ApnsConnectionObserver;
}

/**
 * One per ApnsProvider. Requests must all pass the same TLS options object so the Agent's pool key
 * stays the same and exactly one session per origin is used.
 */
export class ApnsAgent extends Agent {
  private readonly connectTimeoutMs: number;
  private readonly appId: string;
  private readonly log: ApnsLogger | undefined;
  private readonly keepAliveMs: number;
  private readonly backoff: ReconnectBackoff;
  private readonly observer: ApnsConnectionObserver | undefined;
  /** Whether a connection was ever established: later ones are reconnects. */
  private connectedBefore = false;

  constructor(options: ApnsAgentOptions) {
    // One connection, as Apple asks: when its streams are all busy (APNs announces as few as 1 at first),
    // requests wait for a free stream instead of the Agent opening another connection for them.
    super({ maxSessions: 1, maxEmptySessions: 1 });
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.appId = options.appId;
    this.log = options.log;
    this.keepAliveMs = options.keepAliveMs ?? 60_000;
    this.backoff = new ReconnectBackoff(options.reconnect);
    this.observer = options.observer;
    this.on('session', (session: ClientHttp2Session) => this.watch(session));
  }

  /**
   * Never close the idle session to make room for another. http2-wrapper calls this whenever a session
   * falls idle while `maxSessions` is reached, even with nothing waiting, so with `maxSessions: 1` every
   * quiet moment would cost a new TLS connection. This Agent serves one origin with one set of TLS
   * options: there is never another session to make room for. (Sessions still close on GOAWAY, on a
   * failed PING, on error and on destroy(), none of which goes through here.)
   */
  override closeEmptySessions(): void {}

  /**
   * A server that wants a client certificate we lack can leave the handshake hanging forever, and a
   * hanging pending connection would swallow every later request to that origin: bound it.
   */
  override async createConnection(origin: URL, options: SecureClientSessionOptions): Promise<TLSSocket> {
    const waitMs = this.backoff.nextDelayMs();
    if (waitMs > 0) {
      this.log?.info({ appId: this.appId, waitMs }, 'APNs reconnect backoff');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    const socket = Agent.connect(origin, options);
    // Failing before the session is up (refused, reset, TLS error, handshake timeout) counts towards the backoff.
    socket.once('error', () => this.backoff.failed());
    const deadline = setTimeout(() => {
      socket.destroy(new ConnectTimeoutError(origin.origin, this.connectTimeoutMs));
    }, this.connectTimeoutMs);
    deadline.unref();
    socket.once('close', () => clearTimeout(deadline));
    (socket as unknown as Tagged)[kConnectDeadline] = deadline;
    return socket;
  }

  /**
   * A request went unanswered: make sure the connection itself is alive. A connection that silently
   * died (a NAT or firewall dropped it, no RST) would otherwise swallow every later request until TCP
   * gives up, many minutes later. No PONG within the connect timeout → destroy it; the next request
   * opens a new one.
   */
  probe(session: Http2Session): void {
    if (session.destroyed || session.closed || (session as unknown as Tagged)[kProbing] === true) return;
    (session as unknown as Tagged)[kProbing] = true;
    const deadline = setTimeout(() => {
      this.log?.warn({ appId: this.appId }, 'APNs connection did not answer a PING: replacing it');
      session.destroy(new Error(`APNs connection did not answer a PING within ${this.connectTimeoutMs} ms`));
    }, this.connectTimeoutMs);
    deadline.unref();
    const done = (): void => {
      clearTimeout(deadline);
      (session as unknown as Tagged)[kProbing] = false;
    };
    session.once('close', done);
    try {
      session.ping((error) => {
        session.off('close', done);
        done();
        if (error) session.destroy(error);
      });
    } catch (error) {
      // Too many outstanding PINGs, or the session went away meanwhile.
      session.off('close', done);
      done();
      this.log?.warn({ appId: this.appId, err: error }, 'APNs connection PING could not be sent');
    }
  }

  private watch(session: ClientHttp2Session): void {
    try {
      // Property reads pass through Node's socket proxy to the TLS socket created above.
      const deadline = (session.socket as unknown as Tagged)[kConnectDeadline];
      if (deadline !== undefined) clearTimeout(deadline as NodeJS.Timeout);
    } catch {
      // A session already unbound from its socket is closing anyway.
    }
    // http2-wrapper emits 'session' from the session's first SETTINGS frame: it is established now, so the
    // backoff resets here (waiting for another 'remoteSettings' would miss the one that already came).
    this.backoff.succeeded();
    this.observer?.connected?.({ reconnect: this.connectedBefore });
    this.connectedBefore = true;
    session.once('close', () => this.observer?.disconnected?.());
    // The Agent listens for 'error' only once per session; a second one would crash the process.
    session.on('error', (error: Error) => {
      this.backoff.failed();
      this.log?.warn({ appId: this.appId, err: error }, 'APNs connection error');
    });
    if (this.keepAliveMs > 0) {
      const keepAlive = setInterval(() => this.probe(session), this.keepAliveMs);
      keepAlive.unref();
      session.once('close', () => clearInterval(keepAlive));
    }
    session.on('goaway', (errorCode: number, lastStreamId: number) => {
      // A server may send GOAWAY twice (announce, then final): the connection is told to go once.
      if ((session as unknown as Tagged)[GRACEFULLY_CLOSING] !== true) this.observer?.goaway?.({ errorCode });
      (session as unknown as Tagged)[GRACEFULLY_CLOSING] = true;
      this.log?.info({ appId: this.appId, errorCode, lastStreamId }, 'APNs sent GOAWAY: draining this connection');
    });
  }
}
