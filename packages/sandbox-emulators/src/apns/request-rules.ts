// The checks APNs makes on a request's method, path, headers and payload, as pure functions.
//
// Source: "Sending notification requests to APNs",
// https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns
import { reject, type ApnsRejection } from './reasons.js';

/** What a request looks like once it has fully arrived. */
export interface ArrivedRequest {
  method: string;
  path: string;
  /** Lower-case names, no pseudo-headers; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string>>;
  /** Names and values as received, alternating (pseudo-headers included). */
  rawHeaders: readonly string[];
  body: Buffer;
}

/** Who may push to which topics: a provider token allows any topic, a certificate only its own. */
export type Authority = { kind: 'token' } | { kind: 'certificate'; uid: string | null; topics: readonly string[] };

const DEVICE_PATH_PREFIX = '/3/device/';
/** Device tokens are hex; today's are 64 digits, Apple warns they may grow. */
const DEVICE_TOKEN = /^[0-9a-fA-F]{64,}$/;
/**
 * A token APNs never issued is BadDeviceToken even when well formed; the emulator can't know which tokens were
 * issued, but all zeros never are: the dummy token credential checks send (the answer proves the auth passed).
 */
const NEVER_ISSUED = /^0+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const EPOCH_SECONDS = /^\d+$/;
const PRIORITIES = new Set(['1', '5', '10']);
const MAX_COLLAPSE_ID_BYTES = 64;
const MAX_PAYLOAD_BYTES = 4096;
const MAX_VOIP_PAYLOAD_BYTES = 5120;
/** Header names APNs reads; every one of them must come once (`DuplicateHeaders`). */
const SINGLE_HEADERS = new Set([
  'authorization',
  'apns-push-type',
  'apns-id',
  'apns-expiration',
  'apns-priority',
  'apns-topic',
  'apns-collapse-id',
]);

/**
 * Apple's `apns-push-type` values, each with the suffix its `apns-topic` must carry (`''`: the bare bundle
 * id, or for `mdm` the certificate's topic).
 */
export const PUSH_TYPE_TOPIC_SUFFIX: Readonly<Record<string, string>> = {
  alert: '',
  background: '',
  mdm: '',
  voip: '.voip',
  complication: '.complication',
  fileprovider: '.pushkit.fileprovider',
  location: '.location-query',
  liveactivity: '.push-type.liveactivity',
  pushtotalk: '.voip-ptt',
  widgets: '.push-type.widgets',
  controls: '.push-type.controls',
};

/** The device token in the path: undefined when the path is not a device path at all. */
export function deviceTokenOf(path: string): string | undefined {
  return path.startsWith(DEVICE_PATH_PREFIX) ? path.slice(DEVICE_PATH_PREFIX.length) : undefined;
}

/** Checks made before authentication: the method, repeated headers and the path. */
export function checkFraming(request: ArrivedRequest): ApnsRejection | null {
  if (request.method !== 'POST') return reject('MethodNotAllowed');
  const seen = new Set<string>();
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] ?? '').toLowerCase();
    if (!SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name)) return reject('DuplicateHeaders');
    seen.add(name);
  }
  const token = deviceTokenOf(request.path);
  if (token === undefined) return reject('BadPath');
  if (token === '') return reject('MissingDeviceToken');
  return null;
}

/** Checks made once the sender is authenticated: token format, headers, payload. */
export function checkNotification(request: ArrivedRequest, authority: Authority): ApnsRejection | null {
  const token = deviceTokenOf(request.path) ?? '';
  if (!DEVICE_TOKEN.test(token) || NEVER_ISSUED.test(token)) return reject('BadDeviceToken');

  const { headers } = request;
  // A certificate without several topics pushes to its own subject when apns-topic is left out.
  const topic = headers['apns-topic'] ?? (authority.kind === 'certificate' ? (authority.uid ?? undefined) : undefined);
  if (topic === undefined || topic === '') return reject('MissingTopic');
  if (authority.kind === 'certificate' && !authority.topics.includes(topic)) return reject('TopicDisallowed');

  const pushType = headers['apns-push-type'];
  if (pushType !== undefined) {
    const suffix = PUSH_TYPE_TOPIC_SUFFIX[pushType];
    if (suffix === undefined) return reject('InvalidPushType');
    // Seen from APNs: a VoIP push to the bare bundle id is DeviceTokenNotForTopic, an alert or background
    // push to the .voip topic is InvalidPushType.
    if (suffix !== '' && !topic.endsWith(suffix)) return reject('DeviceTokenNotForTopic');
    if (suffix === '' && topic.endsWith('.voip')) return reject('InvalidPushType');
  }

  const priority = headers['apns-priority'];
  if (priority !== undefined && !PRIORITIES.has(priority)) return reject('BadPriority');
  // "Always use priority 5 [for background]. Using priority 10 is an error."
  if (pushType === 'background' && priority === '10') return reject('BadPriority');

  const expiration = headers['apns-expiration'];
  if (expiration !== undefined && !EPOCH_SECONDS.test(expiration)) return reject('BadExpirationDate');

  const apnsId = headers['apns-id'];
  if (apnsId !== undefined && !UUID.test(apnsId)) return reject('BadMessageId');

  const collapseId = headers['apns-collapse-id'];
  if (collapseId !== undefined && Buffer.byteLength(collapseId) > MAX_COLLAPSE_ID_BYTES) return reject('BadCollapseId');

  return checkPayload(request.body, pushType === 'voip' || (pushType === undefined && topic.endsWith('.voip')));
}

function checkPayload(body: Buffer, voip: boolean): ApnsRejection | null {
  if (body.length === 0) return reject('PayloadEmpty');
  if (body.length > (voip ? MAX_VOIP_PAYLOAD_BYTES : MAX_PAYLOAD_BYTES)) return reject('PayloadTooLarge');
  // Apple documents no reason for a payload that is not a JSON dictionary; APNs treats it as no payload.
  return isJsonObject(parseJson(body.toString('utf8'))) ? null : reject('PayloadEmpty');
}

/** The parsed value, or undefined when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request `apns-id` APNs would echo, or undefined when it is missing or not a UUID. */
export function validApnsId(headers: Readonly<Record<string, string>>): string | undefined {
  const id = headers['apns-id'];
  return id !== undefined && UUID.test(id) ? id : undefined;
}
