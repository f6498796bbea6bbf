// OpenAPI operations of Sylk's v1 API (POST /push) with worked examples on the sandbox apps.
import type { ApiExample, OperationSpec, ResponseSpec } from './openapi-operation.js';
import { WEB_PUSH_V1_EXAMPLES } from './openapi-webpush.js';

export const SYLK_APP = 'com.pushwire.sandbox.sylk.dev';
export const LINPHONE_APP = 'com.pushwire.sandbox.linphone.dev';
export const APPLE_TOKEN = 'a'.repeat(64);
export const APPLE_BACKGROUND_TOKEN = 'b'.repeat(64);
export const FCM_TOKEN = 'fcm-token-1';
export const HUAWEI_TOKEN = 'IQAAAACy0kYyAABLZ3Ox8vs3zN5Eyh-pushwire-sandbox-1';
/** The sandbox's Huawei App ID, in Push Kit's send URL. */
const HUAWEI_SEND_URL = 'https://push-api.cloud.huawei.com/v1/109999001/messages:send';
/** Apple's documented BadDeviceToken description, as Sylk appends it to the reason. */
const BAD_DEVICE_TOKEN =
  'BadDeviceToken - The specified device token was bad. Verify that the request contains a valid token and that the token matches the environment.';

/** Responses every route with a body shares: Sylk's and Pushwire's own errors. */
export const COMMON_RESPONSES = {
  401: {
    description:
      'Only when API keys are configured ([caller:<name>] in general.ini): no key while `require_key = yes`, or an unknown key.',
    schemas: ['ErrorEnvelope'],
    headers: { 'WWW-Authenticate': '`Bearer realm="pushwire"` (with `error="invalid_token"` for an unknown key)' },
  },
  403: {
    description: 'The client is not in `allowed_hosts`, or its API key does not cover the app.',
    schemas: ['ErrorEnvelope'],
  },
  429: {
    description: 'The API key is over its `rate` (`data.retry_after` seconds).',
    schemas: ['ErrorEnvelope'],
    headers: { 'Retry-After': 'seconds until the key may send again' },
  },
  405: { description: "Any other method on this path (FastAPI's answer, as Sylk).", schemas: ['Detail'] },
  413: { description: 'Body larger than `PUSHWIRE_MAX_BODY_BYTES` (65536).', schemas: ['ErrorEnvelope'] },
} as const satisfies Record<number, ResponseSpec>;

/** The Idempotency-Key request header, on every push route. */
export const IDEMPOTENCY_KEY_PARAM = {
  name: 'Idempotency-Key',
  description:
    'Optional (IETF httpapi idempotency-key; a Structured Field string, quoted or bare). Without it every request is a ' +
    'new push, as Sylk sends it. With it, a repeat of the same request (its validated values: `ios` = `apple`, ' +
    '`"1"` = `true`, any key order) within `PUSHWIRE_IDEMPOTENCY_WINDOW` (24 h) gets the first answer again, byte for ' +
    'byte (header `Idempotent-Replayed: true`; a sync repeat waits for the first result) and sends nothing; another ' +
    'request under the key is 422; a repeat while the first is still being accepted is 409. Keys belong to one caller ' +
    '(its API key, else its address) and one route.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
} as const;

/** Pushwire's answers to an Idempotency-Key that cannot be honoured. */
export const IDEMPOTENCY_RESPONSES = {
  409: 'Or, under an `Idempotency-Key`, the first request with that key is still being accepted (envelope, `Retry-After`): retry later.',
  422: {
    description:
      'The `Idempotency-Key` was already used (by this caller, on this route, within the window) for another request: nothing sent.',
    schemas: ['ErrorEnvelope'],
  },
  503: ' Or `PUSHWIRE_IDEMPOTENCY_MAX_KEYS` keys are kept: a new key is refused (with `Retry-After`) until the oldest expires; send without the header, or later.',
} as const;

/** An API key is optional unless `require_key = yes` (the empty requirement: no key at all, as Sylk). */
export const CALLER_SECURITY: ReadonlyArray<Record<string, string[]>> = [{}, { callerKey: [] }];

export const appleResult = (callId: string, token: string, extra: Record<string, unknown> = {}) => ({
  body: {},
  code: 200,
  reason: '',
  url: `https://api.push.apple.com/3/device/${token}`,
  platform: 'apple',
  call_id: callId,
  token,
  ...extra,
});

export const firebaseResult = (callId: string, token: string) => ({
  body: {
    _content: { name: 'projects/pushwire-sandbox/messages/0:1764855600000000%31bd1c9631bd1c96' },
    _content_consumed: true,
    status_code: 200,
    url: 'https://fcm.googleapis.com/v1/projects/pushwire-sandbox/messages:send',
    encoding: 'UTF-8',
    reason: 'OK',
  },
  code: 200,
  reason: 'OK',
  url: 'https://fcm.googleapis.com/v1/projects/pushwire-sandbox/messages:send',
  platform: 'firebase',
  call_id: callId,
  token,
});

export const huaweiResult = (callId: string, token: string) => ({
  body: { code: '80000000', msg: 'Success', requestId: '173346000000000001' },
  code: 200,
  reason: 'Success',
  url: HUAWEI_SEND_URL,
  platform: 'huawei',
  call_id: callId,
  token,
});

const call = {
  'app-id': SYLK_APP,
  platform: 'apple',
  token: APPLE_TOKEN,
  event: 'incoming_session',
  'call-id': 'call-1@example.com',
  from: 'alice@example.com',
  'from-display-name': 'Alice',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
};
const validation = (code: 400 | 404, description: string) => ({ code, description, data: '' });

const PUSH_EXAMPLES: ApiExample[] = [
  {
    name: 'call-apple',
    summary: "A call wake-up (Sylk app, Apple VoIP push), answered with APNs' result",
    body: call,
    status: 200,
    answer: {
      code: 200,
      description: 'push notification response',
      data: appleResult('call-1@example.com', APPLE_TOKEN),
    },
  },
  {
    name: 'message-firebase',
    summary: "A chat message to Firebase; `data.body._content` is FCM's answer",
    body: {
      'app-id': SYLK_APP,
      platform: 'android',
      token: FCM_TOKEN,
      event: 'message',
      'call-id': 'msg-1',
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'sms',
      silent: true,
      badge: 2,
      content: 'hi',
      'content-type': 'text/plain',
    },
    status: 200,
    answer: { code: 200, description: 'push notification response', data: firebaseResult('msg-1', FCM_TOKEN) },
  },
  {
    name: 'call-huawei',
    summary: 'A call wake-up to a Huawei phone (Push Kit data message, urgency HIGH, TTL = the call deadline left)',
    description:
      "`data.body` is Push Kit's answer; an invalid token (80300007) answers 410, as a dead APNs or FCM token.",
    body: { ...call, platform: 'huawei', token: HUAWEI_TOKEN, 'call-id': 'call-hw-1' },
    status: 200,
    answer: { code: 200, description: 'push notification response', data: huaweiResult('call-hw-1', HUAWEI_TOKEN) },
  },
  {
    name: 'linphone-call',
    summary: 'A Linphone wake-up: event defaults to incoming_session, silent is optional',
    body: {
      'app-id': LINPHONE_APP,
      platform: 'ios',
      token: APPLE_TOKEN,
      'call-id': 'call-2',
      from: 'alice@example.com',
      to: 'bob@example.com',
      'media-type': 'audio',
    },
    status: 200,
    answer: { code: 200, description: 'push notification response', data: appleResult('call-2', APPLE_TOKEN) },
  },
  {
    name: 'dead-token',
    summary: 'APNs refuses the token (BadDeviceToken): 410, the caller purges it',
    body: { ...call, token: 'f'.repeat(63), 'call-id': 'call-3' },
    status: 410,
    answer: {
      code: 410,
      description: 'push notification response',
      data: appleResult('call-3', 'f'.repeat(63), {
        body: { reason: 'BadDeviceToken' },
        code: 410,
        reason: BAD_DEVICE_TOKEN,
      }),
    },
  },
  {
    name: 'accepted-async',
    summary: 'return_async = false: accepted once Redis holds the job',
    description:
      'With `return_async = false` in general.ini; also with `data.job_id` when the push outlasts `PUSHWIRE_SYNC_WAIT_MS`.',
    body: { ...call, 'call-id': 'call-4' },
    status: 202,
    answer: { code: 202, description: 'accepted for delivery', data: {} },
  },
  {
    name: 'missing-items',
    summary: 'A sylk app needs event, silent and to',
    body: {
      'app-id': SYLK_APP,
      platform: 'apple',
      token: APPLE_TOKEN,
      'call-id': 'call-5',
      from: 'alice@example.com',
      'media-type': 'audio',
    },
    status: 400,
    answer: validation(400, "'silent ,to ,event' item(s) missing."),
  },
  {
    name: 'bad-badge',
    summary: 'A field of the wrong type',
    body: { ...call, event: 'message', 'media-type': 'sms', badge: 'many' },
    status: 400,
    answer: validation(400, 'value is not a valid integer: badge'),
  },
  {
    name: 'not-json',
    summary: 'A body that is not JSON (raw text)',
    body: '{"app-id": "com.pushwire.sandbox.sylk.dev",',
    status: 400,
    answer: { detail: 'There was an error parsing the body' },
  },
  {
    name: 'app-not-configured',
    summary: 'Unknown (app-id, platform): 404',
    body: { ...call, 'app-id': 'com.example.unknown' },
    status: 404,
    answer: validation(404, 'Apple com.example.unknown app is not configured'),
  },
  {
    name: 'key-required',
    summary: 'No API key while general.ini requires one',
    description: 'With `[callers] require_key = yes`; answered before the body is read.',
    body: call,
    status: 401,
    answer: { code: 401, description: 'API key required: send Authorization: Bearer <key>', data: {} },
  },
  {
    name: 'access-denied',
    summary: 'A client outside allowed_hosts (checked after validation, as Sylk)',
    description: "With `allowed_hosts` in general.ini not covering the client's address.",
    body: call,
    status: 403,
    answer: { code: 403, description: 'access denied by access list', data: {} },
  },
  {
    name: 'wrong-method',
    summary: 'PUT /push',
    description: 'Any method but POST.',
    status: 405,
    answer: { detail: 'Method Not Allowed' },
  },
  {
    name: 'too-large',
    summary: 'A body over the limit',
    description: 'A body over `PUSHWIRE_MAX_BODY_BYTES`.',
    body: { ...call, content: 'x … (more than 65536 bytes)' },
    status: 413,
    answer: { code: 413, description: 'request body larger than 65536 bytes', data: { max_bytes: 65536 } },
  },
  {
    name: 'idempotent-repeat',
    summary: 'A repeat under the same Idempotency-Key: the first answer again, nothing sent',
    description: 'After the same request with the same key.',
    headers: { 'Idempotency-Key': '5f0c3a9e-call-31' },
    body: { ...call, 'call-id': 'call-31@example.com' },
    status: 200,
    answer: {
      code: 200,
      description: 'push notification response',
      data: appleResult('call-31@example.com', APPLE_TOKEN),
    },
  },
  {
    name: 'idempotency-key-reused',
    summary: 'Another request under an Idempotency-Key already used: nothing sent',
    description: 'After call-apple sent with this key.',
    headers: { 'Idempotency-Key': '5f0c3a9e-call-32' },
    body: { ...call, 'call-id': 'call-32@example.com' },
    status: 422,
    answer: {
      code: 422,
      description: 'Idempotency-Key was already used for another request: send a new key for a new push',
      data: {},
    },
  },
  {
    name: 'idempotency-in-flight',
    summary: 'A repeat while the first request with its Idempotency-Key is still being accepted',
    description: 'While the same request with the same key waits for Redis to acknowledge its job.',
    headers: { 'Idempotency-Key': '5f0c3a9e-call-33' },
    body: { ...call, 'call-id': 'call-33@example.com' },
    status: 409,
    answer: {
      code: 409,
      description: 'a request with this Idempotency-Key is still being accepted: retry later',
      data: {},
    },
  },
  {
    name: 'redis-down',
    summary: 'Redis unreachable: nothing was accepted',
    description: 'While Redis does not answer.',
    body: call,
    status: 503,
    answer: { code: 503, description: 'push queue unavailable, request not accepted: retry later', data: {} },
  },
  ...WEB_PUSH_V1_EXAMPLES,
];

export const PUSH_V1: OperationSpec = {
  operationId: 'pushV1',
  tags: ['push'],
  summary: 'Send a push notification (Sylk API v1)',
  description:
    "Validates the request as Sylk does, queues it, and (Sylk's default, `return_async = true`) answers the push " +
    "service's result: the HTTP status is the result's code. Bad input never reaches the queue.",
  requestSchema: 'WakeUpRequest',
  headerParams: [IDEMPOTENCY_KEY_PARAM],
  responses: {
    200: { description: 'The push service accepted the push; `data` is its result.', schemas: ['PushResponse'] },
    202: {
      description:
        'Accepted for delivery: `return_async = false`, or still being delivered when the bounded wait ended.',
      schemas: ['Accepted'],
    },
    400: {
      description: 'Invalid request (Sylk\'s message; `data` is ""), a body that is not JSON, or a push service 400.',
      schemas: ['ValidationError', 'Detail', 'PushResponse'],
    },
    401: COMMON_RESPONSES[401],
    403: {
      description: `${COMMON_RESPONSES[403].description} Or a push service 403 (e.g. InvalidProviderToken).`,
      schemas: ['ErrorEnvelope', 'PushResponse'],
    },
    404: {
      description: 'App or platform not configured, or a Linphone event other than incoming_session.',
      schemas: ['ValidationError'],
    },
    405: COMMON_RESPONSES[405],
    408: {
      description: "Expired: not delivered before the call deadline (Pushwire's delivery policy).",
      schemas: ['PushResponse'],
    },
    409: {
      description: `Superseded: the call was cancelled before this wake-up was sent. ${IDEMPOTENCY_RESPONSES[409]}`,
      schemas: ['PushResponse', 'ErrorEnvelope'],
    },
    410: { description: 'The device token is no longer valid: purge it.', schemas: ['PushResponse'] },
    413: COMMON_RESPONSES[413],
    422: IDEMPOTENCY_RESPONSES[422],
    429: {
      ...COMMON_RESPONSES[429],
      description: `${COMMON_RESPONSES[429].description} Or a push service 429 after every retry, as its result.`,
      schemas: ['ErrorEnvelope', 'PushResponse'],
    },
    503: {
      description: `Redis unavailable, queue full or shutting down (nothing accepted); or the app's circuit is open.${IDEMPOTENCY_RESPONSES[503]}`,
      schemas: ['ErrorEnvelope', 'PushResponse'],
    },
    default: { description: 'Any other push service answer (429, 500 …), as its result.', schemas: ['PushResponse'] },
  },
  examples: PUSH_EXAMPLES,
  security: CALLER_SECURITY,
};
