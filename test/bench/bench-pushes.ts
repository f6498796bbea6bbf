// The push every scenario sends: a Sylk VoIP call wake-up, as an HTTP body and as Pushwire's parsed request.
import { withSylkDefaults, type PushRequest } from '@pushwire/core';
import { SANDBOX_APPS } from '@pushwire/sandbox-emulators';

const SYLK_APPLE = SANDBOX_APPS[0];
export const BENCH_APP_ID = SYLK_APPLE.appId;
/** The sandbox section the bench app lives in (for per-app settings). */
export const BENCH_APP_SECTION = SYLK_APPLE.section;
/** The device token of every v1 push (pushes differ by call-id, so the emulators count each one). */
export const BENCH_DEVICE_TOKEN = 'be'.repeat(32);
/** The field that carries each push's id (unique per push). */
export const ID_FIELD = 'call-id';

/** `POST /push` body without its call-id. */
export const V1_PUSH_BODY: Readonly<Record<string, unknown>> = Object.freeze({
  'app-id': BENCH_APP_ID,
  platform: 'apple',
  token: BENCH_DEVICE_TOKEN,
  event: 'incoming_session',
  from: 'alice@example.com',
  'from-display-name': 'Alice',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
});

/** `POST /v2/tokens/{account}/push` body without its call-id. */
export const V2_PUSH_BODY: Readonly<Record<string, unknown>> = Object.freeze({
  event: 'incoming_session',
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
});

export const V2_ACCOUNT = 'bench@example.com';
export const V2_DEVICES = 3;

/** Device `n` of the v2 account: its registration body (an Apple "voip-background" token pair). */
export function v2Device(n: number): Record<string, unknown> {
  const voip = `${n.toString(16).padStart(8, '0')}`.padEnd(64, 'c');
  const background = `${n.toString(16).padStart(8, '0')}`.padEnd(64, 'd');
  return {
    'app-id': BENCH_APP_ID,
    platform: 'apple',
    'device-id': `bench-device-${n}`,
    token: `${voip}-${background}`,
  };
}

/** What ingest makes of {@link V1_PUSH_BODY} with call-id `callId`: the direct client builds from it. */
export function v1PushRequest(callId: string): PushRequest {
  return withSylkDefaults({
    appId: BENCH_APP_ID,
    platform: 'apple',
    event: 'incoming_session',
    token: BENCH_DEVICE_TOKEN,
    callId,
    from: 'alice@example.com',
    to: 'bob@example.com',
    fromDisplayName: 'Alice',
    mediaType: 'audio',
  });
}
