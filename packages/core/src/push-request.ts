// A validated push request: what ingest puts on the queue and what payload builders read.
import type { MediaType, PushEvent } from './events.js';
import type { Platform } from './platform.js';

/**
 * The v1 `/push` body after validation, with Sylk's hyphenated keys turned into camelCase.
 * Optional strings are `null` when absent, as Sylk sends them (`"reason": null` in a cancel payload).
 */
export interface PushRequest {
  appId: string;
  platform: Platform;
  event: PushEvent;
  token: string;
  callId: string;
  from: string;
  to: string;
  deviceId: string | null;
  fromDisplayName: string | null;
  mediaType: MediaType | null;
  /** Sylk default: true. Only Linphone payloads read it. */
  silent: boolean;
  reason: string | null;
  /** Sylk default: 1. */
  badge: number;
  filename: string | null;
  filetype: string | null;
  account: string | null;
  content: string | null;
  contentType: string | null;
}

/** The fields a push may omit, with the values Sylk gives them when absent. */
export type PushRequestRequired = Pick<
  PushRequest,
  'appId' | 'platform' | 'event' | 'token' | 'callId' | 'from' | 'to'
>;

/** A request with Sylk's defaults for every optional field (null strings, silent true, badge 1). */
export function withSylkDefaults(required: PushRequestRequired & Partial<PushRequest>): PushRequest {
  return {
    deviceId: null,
    fromDisplayName: null,
    mediaType: null,
    silent: true,
    reason: null,
    badge: 1,
    filename: null,
    filetype: null,
    account: null,
    content: null,
    contentType: null,
    ...required,
  };
}
