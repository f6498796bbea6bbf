// The record a remote log sink receives after each push: Sylk's `log_remotely` body (reference §7.2).
import type { Platform } from '@pushwire/core';

/** What the worker hands over after a push's final result. */
export interface SinkRecordInput {
  appId: string;
  platform: Platform;
  /** Sylk's correlation id `<event>-<app-id>-<call-id>`; names the sink job, never sent to the sink. */
  requestId: string;
  /** The request with Sylk's Python field names (see `toIncomingBody`). */
  incomingBody: Record<string, unknown>;
  /** Headers as sent to the push service. Redacted here whatever the caller did. */
  outgoingHeaders: Record<string, string>;
  /** The JSON payload sent to the push service, as a string (as Sylk sends it). */
  outgoingBody: string;
  response: { code: number; description: string; push_url: string };
}

/** The JSON body POSTed to each sink, key for key as Sylk's. */
export interface SinkPayload {
  request: {
    incoming_body: Record<string, unknown>;
    outgoing_headers: Record<string, string>;
    outgoing_body: string;
  };
  response: { code: number; description: string; push_url: string };
  server_ip: string;
  /** `YYYY-mm-dd HH:MM:SS`, server local time (Python's `datetime.now().strftime`). */
  timestamp: string;
}

export interface BuildSinkPayloadOptions {
  serverIp: string;
  /** When the result was published, ms since the epoch. */
  now: number;
}

/** Sylk's shape, unredacted: always pass the result through `redactSinkPayload` before it leaves. */
export function buildSinkPayload(input: SinkRecordInput, options: BuildSinkPayloadOptions): SinkPayload {
  return {
    request: {
      incoming_body: { ...input.incomingBody },
      outgoing_headers: { ...input.outgoingHeaders },
      outgoing_body: input.outgoingBody,
    },
    response: { code: input.response.code, description: input.response.description, push_url: input.response.push_url },
    server_ip: options.serverIp,
    timestamp: sylkTimestamp(options.now),
  };
}

/** `%Y-%m-%d %H:%M:%S` in the server's local time zone, as Sylk stamps its records. */
export function sylkTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getFullYear()).padStart(4, '0')}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
