// Sends Web Push messages (RFC 8030) with aes128gcm payload encryption (RFC 8291) and VAPID (RFC 8292).
//
// Library: `web-push` (web-push-libs, the reference Node implementation used by most servers, MPL-2.0, with
// http_ece for the encryption) does the cryptography: payload encryption and the VAPID JWT. Pushwire sends the
// request itself (`generateRequestDetails`, a documented entry point) over a keep-alive undici Agent, because
// web-push's own `sendNotification` opens a connection per push and takes no AbortSignal, which the
// worker's call deadline needs. Why: docs/decisions/0025-web-push.md.
import type { Clock, OutgoingPush, PushProvider, SendOptions, SendOutcome, VapidAuth } from '@pushwire/core';
import {
  errorMessage,
  parseRetryAfter,
  raceAbort,
  systemClock,
  UNTRUSTED_CERTIFICATE_REASON,
  UNTRUSTED_TLS_CODES,
} from '@pushwire/core';
import { Agent } from 'undici';
import webpush from 'web-push';
import { failedWebPush, mapWebPushResponse, refusedWebPush } from './map-webpush-response.js';
import { checkSubscription } from './subscription.js';
import { VapidHeaders } from './vapid-headers.js';

export interface WebPushProviderOptions {
  appId: string;
  auth: VapidAuth;
  /** Host patterns a subscription endpoint must match (checked again at send time: storage may predate a change). */
  allowedHosts: readonly string[];
  /** Extra trust anchor (PEM) for the push services. Default null: the default CA list. */
  caPem?: string | null;
  /** Reads `retry-after` dates. Default: the system clock. */
  clock?: Clock;
  /** Deadline of one send, ms. Default 10000. */
  requestTimeoutMs?: number;
}

/** RFC 8030 §5.2: seconds; web-push's default (4 weeks) when the builder set none. */
const DEFAULT_TTL_S = 2419200;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);

export class WebPushProvider implements PushProvider {
  readonly platform = 'webpush' as const;
  readonly appId: string;
  private readonly allowedHosts: readonly string[];
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly vapid: VapidHeaders;
  /** One keep-alive pool per push service origin, for this app. */
  private readonly dispatcher: Agent;

  constructor(options: WebPushProviderOptions) {
    this.appId = options.appId;
    this.allowedHosts = options.allowedHosts;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    if (!(this.timeoutMs > 0)) throw new RangeError(`requestTimeoutMs must be positive, got ${this.timeoutMs}`);
    this.vapid = new VapidHeaders(options.auth);
    const caPem = options.caPem ?? null;
    this.dispatcher = new Agent(caPem === null ? {} : { connect: { ca: caPem } });
  }

  async send(push: OutgoingPush, options: SendOptions = {}): Promise<SendOutcome> {
    const checked = checkSubscription(push.token, this.allowedHosts);
    if (!checked.ok) return refusedWebPush('', checked.problem);
    const { subscription } = checked;
    const url = new URL(subscription.endpoint);
    const headers = lowerCased(push.headers);
    let request: webpush.RequestDetails;
    try {
      request = webpush.generateRequestDetails(subscription, JSON.stringify(push.payload), {
        TTL: ttlOf(headers.ttl),
        urgency: URGENCIES.has(headers.urgency ?? '') ? (headers.urgency as webpush.Urgency) : 'normal',
        ...(headers.topic ? { topic: headers.topic } : {}),
        contentEncoding: 'aes128gcm',
        // Signed here, once per origin (no vapidDetails, so web-push signs none of its own).
        headers: { Authorization: this.vapid.authorization(url.origin) },
      });
    } catch (error) {
      return refusedWebPush(url.href, `Web Push request not built: ${errorMessage(error)}`);
    }

    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
    try {
      const res = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: stringHeaders(request.headers),
        body: request.body ?? '',
        signal,
      });
      const text = await raceAbort(res.body.text(), signal);
      const retryAfter = firstHeader(res.headers['retry-after']);
      const retryAfterMs = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, this.clock.now());
      return mapWebPushResponse(
        { status: res.statusCode, text, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
        url.href,
      );
    } catch (error) {
      if (deadline.aborted) return failedWebPush(url.href, `Web Push request timed out after ${this.timeoutMs} ms`);
      if (signal.aborted) return failedWebPush(url.href, `Web Push request aborted: ${errorMessage(signal.reason)}`);
      return failedWebPush(url.href, `Web Push connection error: ${describeTransportError(error)}`);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function lowerCased(headers: Record<string, string>): Record<string, string | undefined> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

function ttlOf(value: string | undefined): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_TTL_S;
}

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = String(value);
  return out;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeTransportError(error: unknown): string {
  let root: unknown = error;
  for (let i = 0; i < 5 && (root as { cause?: unknown } | null)?.cause; i += 1)
    root = (root as { cause: unknown }).cause;
  const code = (root as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNTRUSTED_TLS_CODES.has(code)) return UNTRUSTED_CERTIFICATE_REASON;
  const message = root instanceof Error ? root.message : errorMessage(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
