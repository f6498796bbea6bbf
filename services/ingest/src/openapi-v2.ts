// OpenAPI operations of Sylk's v2 API (devices stored per account, pushes to an account or one device).
import type { ApiExample, OperationSpec } from './openapi-operation.js';
import { WEB_PUSH_ADD_EXAMPLES } from './openapi-webpush.js';
import {
  APPLE_BACKGROUND_TOKEN,
  APPLE_TOKEN,
  appleResult,
  CALLER_SECURITY,
  COMMON_RESPONSES,
  FCM_TOKEN,
  firebaseResult,
  HUAWEI_TOKEN,
  IDEMPOTENCY_KEY_PARAM,
  IDEMPOTENCY_RESPONSES,
  SYLK_APP,
} from './openapi-v1.js';

const ACCOUNT = { name: 'account', description: 'The account, `user@domain`.' };
const DEVICE = { name: 'device', description: 'The device id as registered (`urn:uuid:` and brackets optional).' };
const validation = (code: 400 | 404, description: string) => ({ code, description, data: '' });
const STORAGE_DOWN = {
  description: 'Token storage (Redis or Cassandra) unreachable: nothing was written.',
  schemas: ['ErrorEnvelope'],
} as const;

/** A device registration: the Apple token `voip-background` as SylkServer sends it. */
export const APPLE_DEVICE = {
  'app-id': SYLK_APP,
  platform: 'ios',
  'device-id': 'urn:uuid:1f3c',
  token: `${APPLE_TOKEN}-${APPLE_BACKGROUND_TOKEN}`,
};
export const FIREBASE_DEVICE = {
  'app-id': SYLK_APP,
  platform: 'android',
  'device-id': 'urn:uuid:77aa',
  token: FCM_TOKEN,
  silent: false,
};

const ADD_EXAMPLES: ApiExample[] = [
  {
    name: 'add-apple',
    summary: 'Register an iPhone (VoIP and background tokens in one, split at the first -)',
    params: { account: 'bob@example.com' },
    body: APPLE_DEVICE,
    status: 200,
    answer: {
      'app-id': SYLK_APP,
      platform: 'apple',
      token: APPLE_DEVICE.token,
      'device-id': '1f3c',
      silent: true,
      'user-agent': null,
    },
  },
  {
    name: 'add-android',
    summary: 'Register an Android device',
    params: { account: 'bob@example.com' },
    body: { ...FIREBASE_DEVICE, 'user-agent': 'Sylk/3.5 (Android 14)' },
    status: 200,
    answer: {
      'app-id': SYLK_APP,
      platform: 'firebase',
      token: FCM_TOKEN,
      'device-id': '77aa',
      silent: false,
      'user-agent': 'Sylk/3.5 (Android 14)',
    },
  },
  {
    name: 'add-huawei',
    summary: 'Register a Huawei phone (Push Kit token)',
    params: { account: 'carol@example.com' },
    body: { 'app-id': SYLK_APP, platform: 'huawei', 'device-id': 'urn:uuid:5e1d', token: HUAWEI_TOKEN },
    status: 200,
    answer: {
      'app-id': SYLK_APP,
      platform: 'huawei',
      token: HUAWEI_TOKEN,
      'device-id': '5e1d',
      silent: true,
      'user-agent': null,
    },
  },
  {
    name: 'missing-device-id',
    summary: 'device-id is required',
    params: { account: 'bob@example.com' },
    body: { 'app-id': SYLK_APP, platform: 'ios', token: APPLE_TOKEN },
    status: 400,
    answer: validation(400, 'field required: device-id'),
  },
  {
    name: 'bad-account',
    summary: 'An account without a domain',
    params: { account: 'bob' },
    body: APPLE_DEVICE,
    status: 400,
    answer: validation(400, "account must be 'user@domain'"),
  },
  {
    name: 'app-not-configured',
    summary: 'Unknown (app-id, platform)',
    params: { account: 'bob@example.com' },
    body: { ...APPLE_DEVICE, 'app-id': 'com.example.unknown' },
    status: 404,
    answer: validation(404, 'Apple com.example.unknown app is not configured'),
  },
  {
    name: 'wrong-method',
    summary: 'PUT',
    description: 'Any method but POST and DELETE.',
    params: { account: 'bob@example.com' },
    status: 405,
    answer: { detail: 'Method Not Allowed' },
  },
  ...WEB_PUSH_ADD_EXAMPLES,
];

export const ADD_TOKEN: OperationSpec = {
  operationId: 'addToken',
  tags: ['v2'],
  summary: 'Register (or replace) a device of an account',
  description:
    'One record per (app-id, device-id) of the account; a device that registers again keeps its place in the push order. An account holds at most `PUSHWIRE_MAX_DEVICES_PER_ACCOUNT` devices (default 50).',
  pathParams: [ACCOUNT],
  requestSchema: 'AddTokenRequest',
  security: CALLER_SECURITY,
  responses: {
    200: {
      description: 'Stored; the request echoed (platform normalised, device-id as stored).',
      schemas: ['AddTokenResponse'],
    },
    400: { description: 'Invalid request or account.', schemas: ['ValidationError', 'Detail'] },
    401: COMMON_RESPONSES[401],
    403: COMMON_RESPONSES[403],
    404: { description: 'App or platform not configured.', schemas: ['ValidationError'] },
    405: COMMON_RESPONSES[405],
    409: {
      description: 'A new device past `PUSHWIRE_MAX_DEVICES_PER_ACCOUNT` (default 50): nothing stored.',
      schemas: ['ErrorEnvelope'],
    },
    413: COMMON_RESPONSES[413],
    429: COMMON_RESPONSES[429],
    503: STORAGE_DOWN,
  },
  examples: ADD_EXAMPLES,
};

export const REMOVE_TOKEN: OperationSpec = {
  operationId: 'removeToken',
  tags: ['v2'],
  summary: 'Forget a device of an account',
  description: "The JSON body goes on the DELETE, as Sylk's client sends it. The account goes with its last device.",
  pathParams: [ACCOUNT],
  requestSchema: 'RemoveTokenRequest',
  security: CALLER_SECURITY,
  responses: {
    200: { description: 'Removed; the request echoed.', schemas: ['RemoveTokenResponse'] },
    400: { description: 'Invalid request or account.', schemas: ['ValidationError', 'Detail'] },
    401: COMMON_RESPONSES[401],
    403: COMMON_RESPONSES[403],
    404: {
      description: "No such device, or no device at all for the account (Sylk's bodies).",
      schemas: ['RemoveNotFound'],
    },
    405: COMMON_RESPONSES[405],
    413: COMMON_RESPONSES[413],
    429: COMMON_RESPONSES[429],
    503: STORAGE_DOWN,
  },
  examples: [
    {
      name: 'remove',
      summary: 'Remove a registered device',
      description: 'After the device registered (add-apple).',
      params: { account: 'carol@example.com' },
      body: { 'app-id': SYLK_APP, 'device-id': '1f3c' },
      status: 200,
      answer: { 'app-id': SYLK_APP, 'device-id': '1f3c' },
    },
    {
      name: 'device-not-found',
      summary: 'The account has devices, but not this one',
      description: 'The account has another device.',
      params: { account: 'carol@example.com' },
      body: { 'app-id': SYLK_APP, 'device-id': 'no-such-device' },
      status: 404,
      answer: { result: 'Not found' },
    },
    {
      name: 'user-not-found',
      summary: 'No device registered for the account',
      params: { account: 'nobody@example.com' },
      body: { 'app-id': SYLK_APP, 'device-id': '1f3c' },
      status: 404,
      answer: { result: 'User not found' },
    },
    {
      name: 'missing-app-id',
      summary: 'app-id is required',
      params: { account: 'carol@example.com' },
      body: { 'device-id': '1f3c' },
      status: 400,
      answer: validation(400, "Field 'app-id' required"),
    },
  ],
};

const V2_RESPONSES = {
  200: {
    description: "Every device's result; the status is the last device's code (410 reported as 200).",
    schemas: ['V2PushResponse'],
  },
  202: {
    description: 'Accepted for delivery: `return_async = false`, or still being delivered when the bounded wait ended.',
    schemas: ['Accepted'],
  },
  400: {
    description:
      "Invalid push (field errors; merged with a device: the bare message), or the last device's push service 400.",
    schemas: ['ValidationError', 'Detail', 'V2PushResponse'],
  },
  401: COMMON_RESPONSES[401],
  403: {
    description: `${COMMON_RESPONSES[403].description} (A key must cover the app of every device pushed to.) Or the last device's push service 403.`,
    schemas: ['ErrorEnvelope', 'V2PushResponse'],
  },
  404: {
    description: 'No device for the account (`user not found`), or not that device (`device not found`).',
    schemas: ['ErrorEnvelope'],
  },
  405: COMMON_RESPONSES[405],
  409: {
    description: `The last device's wake-up was superseded by a cancel, as its result. ${IDEMPOTENCY_RESPONSES[409]}`,
    schemas: ['ErrorEnvelope', 'V2PushResponse'],
  },
  413: COMMON_RESPONSES[413],
  422: IDEMPOTENCY_RESPONSES[422],
  429: {
    ...COMMON_RESPONSES[429],
    description: `${COMMON_RESPONSES[429].description} Or the last device's push service 429, as its result.`,
    schemas: ['ErrorEnvelope', 'V2PushResponse'],
  },
  503: {
    description: `Storage or Redis unavailable, or queue full (nothing accepted); or the last device's circuit is open.${IDEMPOTENCY_RESPONSES[503]}`,
    schemas: ['ErrorEnvelope', 'V2PushResponse'],
  },
  default: { description: 'Any other code of the last device (408, 429, 500 …).', schemas: ['V2PushResponse'] },
} as const;

const pushWithoutTo = {
  event: 'incoming_session',
  'call-id': 'call-9',
  from: 'alice@example.com',
  'media-type': 'audio',
};
const push = { ...pushWithoutTo, to: 'bob@example.com' };

export const PUSH_ACCOUNT: OperationSpec = {
  operationId: 'pushToAccount',
  tags: ['v2'],
  summary: 'Push to every device of an account',
  description:
    "One job per device, delivered in parallel; each device's push is validated (as v1) before any is queued. A `cancel` " +
    "or `message` goes to an Apple device's background token. A device whose token is dead is removed.",
  pathParams: [ACCOUNT],
  headerParams: [IDEMPOTENCY_KEY_PARAM],
  requestSchema: 'V2PushRequest',
  responses: V2_RESPONSES,
  security: CALLER_SECURITY,
  examples: [
    {
      name: 'call-all-devices',
      summary: 'A call wake-up to an iPhone and an Android device, in registration order',
      description: 'After add-apple and add-android for this account.',
      params: { account: 'dave@example.com' },
      body: push,
      status: 200,
      answer: {
        code: 200,
        description: 'push notification responses',
        data: [appleResult('call-9', APPLE_TOKEN), firebaseResult('call-9', FCM_TOKEN)],
      },
    },
    {
      name: 'unknown-account',
      summary: 'No device registered for the account',
      params: { account: 'nobody@example.com' },
      body: push,
      status: 404,
      answer: {
        code: 404,
        description: 'Push request was not sent: user not found',
        data: { account: 'nobody@example.com' },
      },
    },
    {
      name: 'missing-to',
      summary: 'to is required',
      params: { account: 'dave@example.com' },
      body: pushWithoutTo,
      status: 400,
      answer: validation(400, 'field required: to'),
    },
    {
      name: 'idempotency-key-reused',
      summary: 'Another push under an Idempotency-Key already used: nothing sent',
      description: 'After add-apple for this account and call-all-devices sent with this key.',
      params: { account: 'dave@example.com' },
      headers: { 'Idempotency-Key': '5f0c3a9e-call-9' },
      body: { ...push, 'media-type': 'video' },
      status: 422,
      answer: {
        code: 422,
        description: 'Idempotency-Key was already used for another request: send a new key for a new push',
        data: {},
      },
    },
  ],
};

export const PUSH_DEVICE: OperationSpec = {
  operationId: 'pushToDevice',
  tags: ['v2'],
  summary: 'Push to one device of an account',
  pathParams: [ACCOUNT, DEVICE],
  headerParams: [IDEMPOTENCY_KEY_PARAM],
  requestSchema: 'V2PushRequest',
  responses: V2_RESPONSES,
  security: CALLER_SECURITY,
  examples: [
    {
      name: 'cancel-one-device',
      summary: 'The caller hung up: a cancel to the iPhone, sent to its background token',
      description: 'After add-apple for this account.',
      params: { account: 'erin@example.com', device: '1f3c' },
      body: {
        event: 'cancel',
        'call-id': 'call-9',
        from: 'alice@example.com',
        to: 'erin@example.com',
        reason: 'hangup',
      },
      status: 200,
      answer: {
        code: 200,
        description: 'push notification responses',
        data: [appleResult('call-9', APPLE_BACKGROUND_TOKEN)],
      },
    },
    {
      name: 'unknown-device',
      summary: 'The account has no such device',
      description: 'After add-apple for this account.',
      params: { account: 'erin@example.com', device: 'no-such-device' },
      body: push,
      status: 404,
      answer: {
        code: 404,
        description: 'Push request was not sent: device not found',
        data: { device_id: 'no-such-device' },
      },
    },
  ],
};
