// Sends pushes to Huawei Push Kit (HMS): an OAuth client-credentials token, then POST /v1/{appId}/messages:send.
import {
  errorMessage,
  raceAbort,
  systemClock,
  type Clock,
  type HuaweiAuth,
  type OutgoingPush,
  type PushProvider,
  type SendOptions,
  type SendOutcome,
} from '@pushwire/core';
import type { Cluster, Redis } from 'ioredis';
import { Agent } from 'undici';
import { toHuaweiMessage } from './huawei-message.js';
import { failedSend, isAuthRefusal, mapHuaweiResponse, type HuaweiReply } from './map-huawei-response.js';
import { SharedAccessTokens } from './shared-access-tokens.js';
import { grantToken } from './token-grant.js';
import { describeTransportError, postJson } from './transport.js';

export interface HuaweiProviderOptions {
  /** The app's id in applications.ini, for messages. */
  appId: string;
  /** `https://push-api.cloud.huawei.com/v1/<Huawei app id>/messages:send`. */
  pushUrl: string;
  tokenUrl: string;
  auth: HuaweiAuth;
  /** Extra trust anchor (PEM) for both endpoints. Default null: the default CA list. */
  caPem?: string | null;
  /** Where the access token is shared between workers; null: this process only. */
  redis: Redis | Cluster | null;
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  clock?: Clock;
  /** Deadline of one send, token grant included, ms. Default 10000. */
  requestTimeoutMs?: number;
  /** Sends `validate_only: true`: Push Kit checks the message and the credentials, delivers nothing. */
  validateOnly?: boolean;
}

type Attempt = { kind: 'reply'; reply: HuaweiReply; bearer: string } | { kind: 'failed'; outcome: SendOutcome };

export class HuaweiProvider implements PushProvider {
  readonly platform = 'huawei' as const;
  readonly appId: string;
  readonly tokens: SharedAccessTokens;
  private readonly url: URL;
  private readonly tokenUrl: URL;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly validateOnly: boolean;
  /** One keep-alive pool per app, for both endpoints. */
  private readonly dispatcher: Agent;

  constructor(options: HuaweiProviderOptions) {
    this.appId = options.appId;
    this.url = new URL(options.pushUrl);
    this.tokenUrl = new URL(options.tokenUrl);
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.validateOnly = options.validateOnly ?? false;
    if (!(this.timeoutMs > 0)) throw new RangeError(`requestTimeoutMs must be positive, got ${this.timeoutMs}`);
    const caPem = options.caPem ?? null;
    this.dispatcher = new Agent(caPem === null ? {} : { connect: { ca: caPem } });
    const { auth } = options;
    this.tokens = new SharedAccessTokens({
      redis: options.redis,
      clientId: auth.clientId,
      prefix: options.prefix,
      clock: this.clock,
      grant: () =>
        grantToken({
          tokenUrl: this.tokenUrl,
          clientId: auth.clientId,
          clientSecret: auth.clientSecret,
          dispatcher: this.dispatcher,
          // The grant outlives a caller that gives up (others may wait on it), but never the send timeout.
          signal: AbortSignal.timeout(this.timeoutMs),
          now: this.clock.now(),
        }),
    });
  }

  async send(push: OutgoingPush, options: SendOptions = {}): Promise<SendOutcome> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
    const body = JSON.stringify(toHuaweiMessage(push, this.validateOnly));
    let attempt = await this.attempt(body, signal, deadline);
    if (attempt.kind === 'reply' && isAuthRefusal(attempt.reply)) {
      // Expired or revoked before its time: a new token, and the same message once more.
      await this.tokens.invalidate(attempt.bearer).catch(() => undefined);
      attempt = await this.attempt(body, signal, deadline);
    }
    if (attempt.kind === 'failed') return attempt.outcome;
    return mapHuaweiResponse(attempt.reply, push.token, this.url.href);
  }

  private async attempt(body: string, signal: AbortSignal, deadline: AbortSignal): Promise<Attempt> {
    let bearer: string;
    try {
      bearer = await raceAbort(this.tokens.get(), signal);
    } catch (error) {
      if (signal.aborted) return { kind: 'failed', outcome: this.aborted(signal, deadline) };
      const reason = `Could not get a Huawei access token from ${this.tokenUrl.href}: ${describeTransportError(error)}`;
      return { kind: 'failed', outcome: failedSend(this.url.href, reason) };
    }
    const headers = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json; charset=UTF-8' };
    try {
      const reply = await postJson(this.dispatcher, this.url, headers, body, signal, this.clock.now());
      return { kind: 'reply', reply, bearer };
    } catch (error) {
      if (signal.aborted) return { kind: 'failed', outcome: this.aborted(signal, deadline) };
      return {
        kind: 'failed',
        outcome: failedSend(this.url.href, `Huawei connection error: ${describeTransportError(error)}`),
      };
    }
  }

  private aborted(signal: AbortSignal, deadline: AbortSignal): SendOutcome {
    if (deadline.aborted) return failedSend(this.url.href, `Huawei request timed out after ${this.timeoutMs} ms`);
    const why: unknown = signal.reason;
    return failedSend(this.url.href, `Huawei request aborted: ${errorMessage(why)}`);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
