// Sends pushes to APNs for one Apple app over one pooled HTTP/2 connection (token or certificate auth).
import { isIP } from 'node:net';
import type { Http2Session, OutgoingHttpHeaders, SecureClientSessionOptions } from 'node:http2';
import type { AppleAuth, Clock, OutgoingPush, PushProvider, SendOptions, SendOutcome } from '@pushwire/core';
import { systemClock, errorMessage } from '@pushwire/core';
import { ApnsAgent } from './apns-agent.js';
import type { ApnsLogger } from './apns-logger.js';
import type { ApnsConnectionObserver } from './connection-observer.js';
import { exchange, type ExchangeResult, type Http2Answer } from './http2-exchange.js';
import { mapApnsResponse } from './map-apns-response.js';
import { apnsResultBase, hostForUrl } from './result-url.js';
import type { ProviderTokenSource } from './provider-token-source.js';
import { SendDeadline } from './send-deadline.js';

export interface ApnsProviderOptions {
  /** The app's id, for logs and metrics. */
  appId: string;
  /** APNs host (`AppleAppConfig.pushHost`), e.g. `api.push.apple.com`. */
  host: string;
  /** APNs port (`AppleAppConfig.pushPort`), usually 443. */
  port: number;
  /** Token auth signs with `tokens`; certificate auth presents `certPem`/`keyPem` in the TLS handshake. */
  auth: AppleAuth;
  /**
   * Extra trust anchor (PEM) for this app's APNs server; null or absent keeps Node's default CA list
   * (so NODE_EXTRA_CA_CERTS still applies). The server certificate is always verified.
   */
  caPem?: string | null;
  /** Required for token auth: the provider-token store shared by every provider with the same key. */
  tokens?: ProviderTokenSource;
  /** Deadline of one `send()`, connection set-up and any resend included, ms. Default 10000. */
  requestTimeoutMs?: number;
  /** Reads an HTTP-date `retry-after`. Default the system clock. */
  clock?: Clock;
  /** Connection events (GOAWAY, session errors). Default: silent. */
  log?: ApnsLogger;
  /** Idle keep-alive PING interval, ms. Default 60000; 0 disables. */
  keepAliveMs?: number;
  /** Told of connections opened and closed and of GOAWAYs (metrics). Default: nobody. */
  connectionObserver?: ApnsConnectionObserver;
}

/** Reasons that mean "this provider token is no good": get a fresh one and resend once. */
const TOKEN_REJECTED = new Set(['ExpiredProviderToken', 'InvalidProviderToken']);

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseBody(answer: Http2Answer): unknown {
  if (answer.text === '') return {};
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return answer.text;
  }
}

function appleReason(answer: Http2Answer): string | undefined {
  const body = parseBody(answer);
  if (typeof body !== 'object' || body === null) return undefined;
  const reason = (body as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : undefined;
}

export class ApnsProvider implements PushProvider {
  readonly platform = 'apple' as const;
  private readonly options: ApnsProviderOptions;
  private readonly agent: ApnsAgent;
  /** A URL object, made once: the Agent parses a string origin again on every request. */
  private readonly origin: URL;
  /** The result `url`'s base, as Sylk reports it (result-url.ts). */
  private readonly reportedBase: string;
  private readonly tls: SecureClientSessionOptions;
  private readonly requestTimeoutMs: number;
  private readonly clock: Clock;
  private readonly inFlight = new Set<Promise<SendOutcome>>();
  private closed = false;

  constructor(options: ApnsProviderOptions) {
    this.options = options;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    if (!(this.requestTimeoutMs > 0)) throw new RangeError('requestTimeoutMs must be positive');
    if (options.auth.kind === 'token' && options.tokens === undefined) {
      throw new TypeError(`APNs app ${options.appId} uses token auth but no provider-token source was given`);
    }
    this.clock = options.clock ?? systemClock;
    const host = hostForUrl(options.host);
    this.origin = new URL(`https://${host}:${options.port}`);
    this.reportedBase = apnsResultBase(options.host, options.port);

    // Built once: the Agent pools sessions by these values, so every request must carry the same ones.
    const tls: SecureClientSessionOptions = {};
    if (options.caPem) tls.ca = options.caPem;
    if (options.auth.kind === 'certificate') {
      tls.cert = options.auth.certPem;
      tls.key = options.auth.keyPem;
    }
    // SNI may not carry an IP address (RFC 6066); the certificate is still checked against the IP.
    if (isIP(options.host) !== 0) tls.servername = '';
    this.tls = tls;

    this.agent = new ApnsAgent({
      connectTimeoutMs: this.requestTimeoutMs,
      appId: options.appId,
      ...(options.log ? { log: options.log } : {}),
      ...(options.keepAliveMs !== undefined ? { keepAliveMs: options.keepAliveMs } : {}),
      ...(options.connectionObserver ? { observer: options.connectionObserver } : {}),
    });
  }

  send(push: OutgoingPush, options: SendOptions = {}): Promise<SendOutcome> {
    const path = `/3/device/${push.token}`;
    const url = `${this.reportedBase}${path}`;
    if (this.closed) return Promise.resolve(this.failed(url, `The APNs provider of ${this.options.appId} is closed`));
    const deadline = new SendDeadline(this.requestTimeoutMs, options.signal);
    const task = this.deliver(push, path, url, deadline)
      // deliver() turns every failure it knows into an outcome; this keeps a surprise from becoming a rejection.
      .catch((error: unknown) => this.failed(url, `Unexpected APNs client error: ${errorMessage(error)}`))
      .finally(() => {
        deadline.dispose();
        this.inFlight.delete(task);
      });
    this.inFlight.add(task);
    return task;
  }

  /** Stops new sends, lets in-flight ones finish (each is bounded by its deadline), then drops the connection. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    this.agent.destroy();
  }

  private async deliver(push: OutgoingPush, path: string, url: string, deadline: SendDeadline): Promise<SendOutcome> {
    if (deadline.signal.aborted) return this.failed(url, errorMessage(deadline.signal.reason));
    let body: string;
    try {
      body = JSON.stringify(push.payload) ?? '';
    } catch (error) {
      // Resending cannot fix a payload that does not serialise; Sylk words this case the same way.
      return this.refused(url, `Bad type of object in headers or payload: ${errorMessage(error)}`);
    }
    const tokens = this.options.auth.kind === 'token' ? this.options.tokens : undefined;
    if (tokens === undefined) return this.outcome(url, await this.post(path, push.headers, undefined, body, deadline));

    let jwt: string;
    try {
      jwt = await deadline.race(tokens.get());
    } catch (error) {
      return this.tokenFailure(url, error, deadline);
    }
    const result = await this.post(path, push.headers, jwt, body, deadline);
    if (
      !(
        result.kind === 'answer' &&
        result.answer.status === 403 &&
        TOKEN_REJECTED.has(appleReason(result.answer) ?? '')
      )
    ) {
      return this.outcome(url, result);
    }

    // The token aged out early (clock skew) or was revoked: replace it everywhere, then try once more.
    try {
      await deadline.race(tokens.invalidate(jwt));
      jwt = await deadline.race(tokens.get());
    } catch (error) {
      return this.tokenFailure(url, error, deadline);
    }
    this.options.log?.info(
      { appId: this.options.appId },
      'APNs rejected the provider token: resending once with a fresh one',
    );
    return this.outcome(url, await this.post(path, push.headers, jwt, body, deadline));
  }

  /** One request; a request refused unprocessed by a closing connection is resent once, on a new one. */
  private async post(
    path: string,
    pushHeaders: Record<string, string>,
    jwt: string | undefined,
    body: string,
    deadline: SendDeadline,
  ): Promise<ExchangeResult> {
    const headers: OutgoingHttpHeaders = { ...pushHeaders, ':method': 'POST', ':path': path };
    // Lower-case "bearer", as Sylk sends it. No content-type: Sylk sends none either.
    if (jwt !== undefined) headers.authorization = `bearer ${jwt}`;
    const request = {
      agent: this.agent,
      origin: this.origin,
      tls: this.tls,
      headers,
      body,
      signal: deadline.signal,
      onUnanswered: (session: Http2Session) => this.agent.probe(session),
    };
    const first = await exchange(request);
    if (first.kind === 'failure' && first.failure.refused && !deadline.signal.aborted) return exchange(request);
    return first;
  }

  private outcome(url: string, result: ExchangeResult): SendOutcome {
    if (result.kind === 'failure') {
      return result.failure.invalid
        ? this.refused(url, result.failure.reason)
        : this.failed(url, result.failure.reason);
    }
    const { answer } = result;
    return mapApnsResponse(
      answer.status,
      parseBody(answer),
      url,
      firstHeader(answer.headers['retry-after']),
      this.clock.now(),
    );
  }

  private tokenFailure(url: string, error: unknown, deadline: SendDeadline): SendOutcome {
    return this.failed(
      url,
      deadline.signal.aborted ? errorMessage(error) : `No APNs provider token: ${errorMessage(error)}`,
    );
  }

  /** A request that can never be sent as built (Sylk answers these 500 without retrying). */
  private refused(url: string, reason: string): SendOutcome {
    return { kind: 'rejected', response: { code: 500, reason, body: {}, url } };
  }

  private failed(url: string, reason: string): SendOutcome {
    // Sylk reports connection failures with its initial status, 500.
    return { kind: 'retryable', response: { code: 500, reason, body: {}, url } };
  }
}
