// Loads the answers and pushes recorded from the original Sylk Pushserver, and the app set they were recorded with.
import { readFileSync } from 'node:fs';
import type { AppRulesLookup, AppTypeRules, Platform } from '@pushwire/core';
import { getAppType } from '@pushwire/apps';

/** One `applications.ini` section of the recording configuration. */
export interface GoldenApp {
  section: string;
  app_id: string;
  app_type: string;
  platform: Platform;
  /** `token (p8 …)`, `certificate`, `service-account` or `legacy-key`. */
  auth: string;
}

/** A request as sent to Sylk: a JSON `body`, or a `raw_body` sent as is (bad JSON, empty body). */
export interface GoldenRequest {
  method: string;
  path: string;
  body?: unknown;
  raw_body?: string;
}

/** What Pushwire answers where Sylk crashed (docs/decisions/0003-deliberate-differences.md), with the reason we chose it. */
export interface PushwireExpectation {
  reason: string;
  status: number;
  body: unknown;
}

export interface GoldenAnswerCase {
  name: string;
  /** sync = `return_async = true`; async = `return_async = false`; deny = `allowed_hosts = 10.0.0.1`. */
  server: 'sync' | 'async' | 'deny';
  request: GoldenRequest;
  /** Sylk's answer; a 500 carries only the exception Sylk logged, never its traceback. */
  sylk: { status: number; body?: unknown; error?: string; content_type?: string };
  pushwire_expected?: PushwireExpectation;
}

export interface GoldenSentPush {
  service: 'apns' | 'fcm';
  method: string;
  path: string;
  /** Headers set by Sylk's app classes; `authorization` values replaced by their scheme. */
  headers: Record<string, string>;
  auth?: {
    scheme: string;
    jwt?: { header: Record<string, unknown>; claims: Record<string, unknown> };
    is_the_token_endpoint_access_token?: boolean;
    is_the_configured_key?: boolean;
  };
  /** Added by httpx/requests, not by Sylk: not part of the contract. */
  transport_headers: Record<string, string>;
  body: unknown;
  body_is_ascii: boolean;
}

export interface GoldenPushCase {
  name: string;
  app: Omit<GoldenApp, 'section'>;
  request: Record<string, unknown>;
  sylk_status: number;
  sent: GoldenSentPush;
}

export interface GoldenTokenGrant {
  method: string;
  path: string;
  content_type: string;
  grant_type: string;
  assertion: { header: Record<string, unknown>; claims: Record<string, unknown> };
}

interface Fixture<C> {
  about: string;
  source: Record<string, string>;
  apps: GoldenApp[];
  cases: C[];
}

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as T;
}

export const V1_ANSWERS = load<Fixture<GoldenAnswerCase>>('./sylk-v1-answers.json');
export const V2_ANSWERS = load<Fixture<GoldenAnswerCase>>('./sylk-v2-answers.json');
export const OUTGOING_PUSHES = load<Fixture<GoldenPushCase> & { fcm_token_grant: GoldenTokenGrant }>(
  './sylk-outgoing-pushes.json',
);

/** The recording's `applications.ini` as an ingest app lookup: each (app id, platform) with its app type's rules. */
export function goldenAppLookup(apps: readonly GoldenApp[]): AppRulesLookup {
  const rules = new Map<string, AppTypeRules>();
  for (const app of apps) {
    const type = getAppType(app.app_type);
    if (!type) throw new Error(`golden app ${app.section}: unknown app type ${app.app_type}`);
    rules.set(`${app.app_id}/${app.platform}`, type.rules);
  }
  return (appId, platform) => rules.get(`${appId}/${platform}`);
}

/** The `app.request()` init that sends a recorded request the way it was sent to Sylk. */
export function requestInit(request: GoldenRequest): RequestInit {
  const init: RequestInit = { method: request.method };
  if (request.raw_body !== undefined) init.body = request.raw_body;
  else if ('body' in request) init.body = JSON.stringify(request.body);
  if (init.body !== undefined) init.headers = { 'content-type': 'application/json' };
  return init;
}

/** Reads a response as Sylk's fixtures hold it: status and parsed JSON body. */
export async function answerOf(res: Response): Promise<{ status: number; body: unknown }> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: compared as text, and fails against every recorded (JSON) answer
  }
  return { status: res.status, body };
}
