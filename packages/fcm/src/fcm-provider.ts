// Sends pushes to Firebase Cloud Messaging (HTTP v1 with a service account, or a legacy server key).
import type { Clock, FirebaseAuth, OutgoingPush, PushProvider, SendOptions, SendOutcome } from '@pushwire/core';
import { systemClock, errorMessage } from '@pushwire/core';
import { Agent } from 'undici';
import { AccessTokenSource } from './access-token-source.js';
import { describeTransportError, headerValue, postOnce, untilAborted, type HttpReply } from './fcm-transport.js';
import { failedSend, mapFcmResponse } from './map-fcm-response.js';
import { encodingFromContentType } from './response-body.js';

export interface FcmProviderOptions {
  /** The app's id, for messages. */
  appId: string;
  /** Sylk's `firebase_push_url`: `https://fcm.googleapis.com/v1/projects/<project>/messages:send`. */
  pushUrl: string;
  auth: FirebaseAuth;
  /** Extra trust anchor (PEM) for FCM and the token endpoint. Default null: the default CA list. */
  caPem?: string | null;
  /** Reads `retry-after` dates. Default: the system clock. */
  clock?: Clock;
  /** Deadline of one send, token fetch included, ms. Default 10000. */
  requestTimeoutMs?: number;
}

/** Sylk's literal `Content-Type` for v1 sends (applications/firebase.py). */
const V1_CONTENT_TYPE = 'application/json; UTF-8';
const LEGACY_CONTENT_TYPE = 'application/json';

type Attempt = { kind: 'reply'; reply: HttpReply; bearer: string | null } | { kind: 'failed'; outcome: SendOutcome };

export class FcmProvider implements PushProvider {
  readonly platform = 'firebase' as const;
  readonly appId: string;
  private readonly url: URL;
  private readonly auth: FirebaseAuth;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  /** One keep-alive connection pool per app. */
  private readonly dispatcher: Agent;
  private readonly tokens: AccessTokenSource | null;

  constructor(options: FcmProviderOptions) {
    this.appId = options.appId;
    this.url = new URL(options.pushUrl);
    if (this.url.protocol !== 'https:' && this.url.protocol !== 'http:') {
      throw new TypeError(`FCM push URL must be http(s): ${options.pushUrl}`);
    }
    this.auth = options.auth;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    if (!(this.timeoutMs > 0)) throw new RangeError(`requestTimeoutMs must be positive, got ${this.timeoutMs}`);
    const caPem = options.caPem ?? null;
    this.dispatcher = new Agent(caPem === null ? {} : { connect: { ca: caPem } });
    this.tokens =
      options.auth.kind === 'service-account'
        ? new AccessTokenSource({ serviceAccount: options.auth.serviceAccount, caPem, timeoutMs: this.timeoutMs })
        : null;
  }

  async send(push: OutgoingPush, options: SendOptions = {}): Promise<SendOutcome> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
    const body = JSON.stringify(push.payload);

    let attempt = await this.attempt(push, body, signal, deadline);
    if (attempt.kind === 'reply' && attempt.reply.status === 401 && attempt.bearer !== null && this.tokens !== null) {
      // The cached token may have been revoked or expired early: fetch a new one and try once more.
      this.tokens.invalidate(attempt.bearer);
      attempt = await this.attempt(push, body, signal, deadline);
    }
    if (attempt.kind === 'failed') return attempt.outcome;
    const { reply } = attempt;
    return mapFcmResponse(
      reply.status,
      reply.statusText,
      parseBody(reply.text),
      this.url.href,
      headerValue(reply.headers, 'retry-after'),
      {
        encoding: encodingFromContentType(headerValue(reply.headers, 'content-type')),
        now: this.clock.now(),
      },
    );
  }

  private async attempt(
    push: OutgoingPush,
    body: string,
    signal: AbortSignal,
    deadline: AbortSignal,
  ): Promise<Attempt> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(push.headers)) headers[name.toLowerCase()] = value;
    let bearer: string | null = null;
    if (this.auth.kind === 'service-account' && this.tokens !== null) {
      try {
        bearer = await untilAborted(this.tokens.getToken(), signal);
      } catch (error) {
        if (signal.aborted) return { kind: 'failed', outcome: this.aborted(signal, deadline) };
        const reason = `Could not get a Firebase access token from ${this.tokens.tokenUri}: ${describeTransportError(error)}`;
        return { kind: 'failed', outcome: failedSend(this.url.href, reason) };
      }
      headers.authorization = `Bearer ${bearer}`;
      headers['content-type'] ??= V1_CONTENT_TYPE;
    } else if (this.auth.kind === 'legacy-key') {
      headers.authorization = `key=${this.auth.key}`;
      headers['content-type'] ??= LEGACY_CONTENT_TYPE;
    }
    try {
      const reply = await postOnce(this.dispatcher, this.url, headers, body, signal);
      return { kind: 'reply', reply, bearer };
    } catch (error) {
      if (signal.aborted) return { kind: 'failed', outcome: this.aborted(signal, deadline) };
      return {
        kind: 'failed',
        outcome: failedSend(this.url.href, `FCM connection error: ${describeTransportError(error)}`),
      };
    }
  }

  private aborted(signal: AbortSignal, deadline: AbortSignal): SendOutcome {
    if (deadline.aborted) return failedSend(this.url.href, `FCM request timed out after ${this.timeoutMs} ms`);
    const why: unknown = signal.reason;
    const detail = errorMessage(why);
    return failedSend(this.url.href, `FCM request aborted: ${detail}`);
  }

  async close(): Promise<void> {
    this.tokens?.close();
    await this.dispatcher.close();
  }
}

/** JSON when it parses (requests' `.json()`), else the text itself. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
