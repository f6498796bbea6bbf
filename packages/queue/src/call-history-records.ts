// What the per-call history keeps: one record when ingest accepts a push, one per attempt, one for the result.
import type { Platform, PushEvent, PushRequest } from '@pushwire/core';

export type CallApi = 'v1' | 'v2';

/** A decision of Pushwire's delivery policy rather than of the push service. */
export type PolicyOutcome = 'circuit-open' | 'expired' | 'superseded' | 'quota-exceeded';

/** How a push ended. */
export type FinalOutcome = 'delivered' | 'dead-token' | 'rejected' | 'failed' | 'expired' | 'superseded';

interface RecordBase {
  /** ms since the epoch. */
  at: number;
  jobId: string;
  /** BullMQ queue name (`push.<platform>.<app-id>`): with the job id, the job's page on the board. */
  queue: string;
}

export interface AcceptedRecord extends RecordBase {
  kind: 'accepted';
  api: CallApi;
  appId: string;
  platform: Platform;
  event: PushEvent;
  deviceId: string | null;
  /** v2: the account pushed to. */
  account: string | null;
  /** The call deadline stamped at acceptance (ms since the epoch), null when none. */
  deadlineAt: number | null;
  /**
   * The validated request in Sylk's wire names, each text cut to {@link TRIMMED_TEXT_LENGTH} characters: the
   * job holds the whole request, and the history shows it from there while the job is kept. Never credentials
   * (payloads are built by the worker).
   */
  request: Record<string, unknown>;
}

export interface AttemptRecord extends RecordBase {
  kind: 'attempt';
  /** 1-based: BullMQ's attemptsMade + 1 when it started. */
  attempt: number;
  /** False when nothing went to the push service (the app's circuit was open). */
  sent: boolean;
  /** The push service's verdict as Pushwire classified it (`delivered`, `retryable`, `dead-token`, `rejected`). */
  outcome: string;
  code: number;
  reason: string;
  /** The push service's Retry-After, ms, when it sent one. */
  retryAfterMs: number | null;
  policy: PolicyOutcome | null;
}

export interface ResultRecord extends RecordBase {
  kind: 'result';
  attempt: number;
  outcome: FinalOutcome;
  code: number;
  reason: string;
}

export type CallHistoryRecord = AcceptedRecord | AttemptRecord | ResultRecord;

/** Sylk's request keys, for showing a request as the caller sent it. */
const WIRE_NAMES: Readonly<Record<keyof PushRequest, string>> = {
  appId: 'app-id',
  platform: 'platform',
  event: 'event',
  token: 'token',
  callId: 'call-id',
  from: 'from',
  to: 'to',
  deviceId: 'device-id',
  fromDisplayName: 'from-display-name',
  mediaType: 'media-type',
  silent: 'silent',
  reason: 'reason',
  badge: 'badge',
  filename: 'filename',
  filetype: 'filetype',
  account: 'account',
  content: 'content',
  contentType: 'content-type',
};

export const REDACTED_CONTENT = '[redacted]';

/** The request in Sylk's wire names; `content` becomes "[redacted]" when asked (`[admin] redact_content`). */
export function wireRequest(request: PushRequest, redactContent: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, wire] of Object.entries(WIRE_NAMES) as [keyof PushRequest, string][]) {
    const value = request[field];
    out[wire] = field === 'content' && redactContent && value !== null ? REDACTED_CONTENT : value;
  }
  return out;
}

/** Longest text an accepted record keeps of a request field; the job holds the rest. */
export const TRIMMED_TEXT_LENGTH = 256;

/**
 * The request as an accepted record keeps it: a message body of tens of KB is stored once, in the job, not
 * again per call history. A cut text says how much is missing.
 */
export function trimmedWireRequest(request: PushRequest, redactContent: boolean): Record<string, unknown> {
  const out = wireRequest(request, redactContent);
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === 'string' && value.length > TRIMMED_TEXT_LENGTH) {
      out[key] = `${value.slice(0, TRIMMED_TEXT_LENGTH)}… [${value.length - TRIMMED_TEXT_LENGTH} more characters]`;
    }
  }
  return out;
}
