// Sylk's v1 /push validation, case by case: rejected bodies with their exact answer, accepted ones with the PushRequest.
import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-error.js';
import type { Platform } from '../platform.js';
import type { PushRequest } from '../push-request.js';
import { LINPHONE_RULES, SYLK_RULES, type AppTypeRules } from './app-type-rules.js';
import { validatePushRequest } from './validate-push-request.js';
import { PushValidationError } from './validation-error.js';

const CUSTOM_RULES: AppTypeRules = { requiredKeys: null, linphoneEvent: false };
const APPS: Readonly<Record<string, AppTypeRules>> = {
  'com.sylk/apple': SYLK_RULES,
  'com.sylk/firebase': SYLK_RULES,
  'org.linphone/apple': LINPHONE_RULES,
  'com.custom/apple': CUSTOM_RULES,
};
const lookup = (appId: string, platform: Platform): AppTypeRules | undefined => APPS[`${appId}/${platform}`];

const SYLK = {
  'app-id': 'com.sylk',
  platform: 'ios',
  event: 'incoming_session',
  token: 'tok',
  'call-id': 'cid',
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
};
const LINPHONE = {
  'app-id': 'org.linphone',
  platform: 'apple',
  token: 'tok',
  'call-id': 'cid',
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'video',
};
const CUSTOM = {
  'app-id': 'com.custom',
  platform: 'apple',
  event: 'message',
  'media-type': 'sms',
  token: 'tok',
  'call-id': 'cid',
  from: 'a',
  to: 'b',
};

/** `base` with keys replaced; an `undefined` value removes the key. */
function body(base: Record<string, unknown>, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

const SYLK_EXPECTED: PushRequest = {
  appId: 'com.sylk',
  platform: 'apple',
  event: 'incoming_session',
  token: 'tok',
  callId: 'cid',
  from: 'alice@example.com',
  to: 'bob@example.com',
  deviceId: null,
  fromDisplayName: null,
  mediaType: 'audio',
  silent: true,
  reason: null,
  badge: 1,
  filename: null,
  filetype: null,
  account: null,
  content: null,
  contentType: null,
};

const EVENT_MSG =
  "event must be 'incoming_session', 'incoming_conference_request', 'cancel' or 'message', 'transfer': event";
const MEDIA_MSG = "media-type must be 'audio', 'video', 'chat', 'sms', 'file-transfer', 'image'";
const NOT_OBJECT = 'request body must be a JSON object';

const rejected: [name: string, input: unknown, status: number, description: string][] = [
  // Not an object (Sylk: 500 traceback; docs/decisions/0003-deliberate-differences.md: 400).
  ['empty body', undefined, 400, NOT_OBJECT],
  ['JSON null', null, 400, NOT_OBJECT],
  ['JSON array of pairs', [['app-id', 'com.sylk']], 400, NOT_OBJECT],
  ['JSON string', 'push', 400, NOT_OBJECT],
  ['JSON number', 42, 400, NOT_OBJECT],
  ['JSON boolean', true, 400, NOT_OBJECT],
  // app-id and platform: Sylk tests truthiness.
  ['no app-id, even when all else is wrong', { platform: 'nokia', token: {} }, 400, "Field 'app-id' required"],
  ['null app-id', body(SYLK, { 'app-id': null }), 400, "Field 'app-id' required"],
  ['empty app-id', body(SYLK, { 'app-id': '' }), 400, "Field 'app-id' required"],
  ['app-id 0', body(SYLK, { 'app-id': 0 }), 400, "Field 'app-id' required"],
  ['no platform', body(SYLK, { platform: undefined }), 400, "Field 'platform' required"],
  ['empty platform', body(SYLK, { platform: '' }), 400, "Field 'platform' required"],
  ['platform false', body(SYLK, { platform: false }), 400, "Field 'platform' required"],
  // Platform after alias normalisation.
  ['platform is case-sensitive', body(SYLK, { platform: 'IOS' }), 404, "'IOS' platform is not configured"],
  ['unknown platform', body(SYLK, { platform: 'windows' }), 404, "'windows' platform is not configured"],
  ['numeric platform', body(SYLK, { platform: 1.5 }), 404, "'1.5' platform is not configured"],
  [
    'list platform, Python repr',
    body(SYLK, { platform: ["a'b", null, true] }),
    404,
    `'["a'b", None, True]' platform is not configured`,
  ],
  // App lookup.
  ['unknown app on apple', body(SYLK, { 'app-id': 'com.nope' }), 404, 'Apple com.nope app is not configured'],
  [
    'app known on apple only, asked on fcm',
    body(LINPHONE, { platform: 'fcm' }),
    404,
    'Firebase org.linphone app is not configured',
  ],
  ['numeric app-id never matches', body(SYLK, { 'app-id': 5 }), 404, 'Apple 5 app is not configured'],
  ['boolean app-id', body(SYLK, { 'app-id': true, platform: 'android' }), 404, 'Firebase True app is not configured'],
  ['list app-id', body(SYLK, { 'app-id': ['com.sylk'] }), 400, "unhashable type: 'list'"],
  ['object app-id', body(SYLK, { 'app-id': { id: 'com.sylk' } }), 400, "unhashable type: 'dict'"],
  // Per-app items, in the rule's order, `is None` semantics.
  [
    'sylk with only app-id and platform',
    { 'app-id': 'com.sylk', platform: 'apns' },
    400,
    "'call-id ,from ,token ,silent ,to ,event' item(s) missing.",
  ],
  [
    'sylk null items count as missing',
    body(SYLK, { token: null, silent: null, event: undefined }),
    400,
    "'token ,silent ,event' item(s) missing.",
  ],
  ['sylk without silent', body(SYLK, { silent: undefined }), 400, "'silent' item(s) missing."],
  [
    'linphone missing items',
    body(LINPHONE, { 'call-id': undefined, token: null }),
    400,
    "'call-id ,token' item(s) missing.",
  ],
  // media-type, unless the event is cancel.
  ['no media-type', body(SYLK, { 'media-type': undefined }), 400, 'Field media-type required'],
  ['empty media-type', body(SYLK, { 'media-type': '' }), 400, 'Field media-type required'],
  [
    'event "Cancel" still needs media-type',
    body(SYLK, { event: 'Cancel', 'media-type': undefined }),
    400,
    'Field media-type required',
  ],
  ['unknown media-type', body(SYLK, { 'media-type': 'text' }), 400, MEDIA_MSG],
  ['media-type checked before coercion', body(SYLK, { 'media-type': 5 }), 400, MEDIA_MSG],
  ['media-type check comes before field errors', body(SYLK, { 'media-type': 'text', token: {} }), 400, MEDIA_MSG],
  // Linphone's event rule (upstream typo kept).
  ['linphone cancel', body(LINPHONE, { event: 'cancel' }), 404, 'event not found (must be incoming_sesion)'],
  [
    'linphone conference',
    body(LINPHONE, { event: 'incoming_conference_request' }),
    404,
    'event not found (must be incoming_sesion)',
  ],
  // Field errors, in declaration order, first wins.
  ['unknown sylk event', body(SYLK, { event: 'incoming_conference' }), 400, EVENT_MSG],
  ['empty sylk event is present but invalid', body(SYLK, { event: '' }), 400, EVENT_MSG],
  ['explicit null event runs the event validator', body(CUSTOM, { event: null }), 400, EVENT_MSG],
  ['event error comes before token error', body(SYLK, { event: 'nope', token: {} }), 400, EVENT_MSG],
  ['object token', body(SYLK, { token: { a: 1 } }), 400, 'str type expected: token'],
  ['list device-id', body(SYLK, { 'device-id': ['d'] }), 400, 'str type expected: device-id'],
  ['token error comes before badge error', body(SYLK, { token: [], badge: 'x' }), 400, 'str type expected: token'],
  ['custom app: call-id is a required field', body(CUSTOM, { 'call-id': undefined }), 400, 'field required: call-id'],
  ['linphone: to is not an item but a required field', body(LINPHONE, { to: undefined }), 400, 'field required: to'],
  ['linphone: null to', body(LINPHONE, { to: null }), 400, 'none is not an allowed value: to'],
  [
    'cancel with a list media-type',
    body(SYLK, { event: 'cancel', 'media-type': ['audio'] }),
    400,
    'str type expected: media-type',
  ],
  ['silent "2"', body(SYLK, { silent: '2' }), 400, 'value could not be parsed to a boolean: silent'],
  ['silent 2', body(SYLK, { silent: 2 }), 400, 'value could not be parsed to a boolean: silent'],
  ['silent 0.5', body(SYLK, { silent: 0.5 }), 400, 'value could not be parsed to a boolean: silent'],
  [
    'silent " true" is not stripped',
    body(SYLK, { silent: ' true' }),
    400,
    'value could not be parsed to a boolean: silent',
  ],
  ['silent empty string', body(SYLK, { silent: '' }), 400, 'value could not be parsed to a boolean: silent'],
  ['silent list', body(SYLK, { silent: [] }), 400, 'value could not be parsed to a boolean: silent'],
  ['linphone null silent', body(LINPHONE, { silent: null }), 400, 'none is not an allowed value: silent'],
  ['badge "5.5"', body(SYLK, { badge: '5.5' }), 400, 'value is not a valid integer: badge'],
  ['badge "1e3"', body(SYLK, { badge: '1e3' }), 400, 'value is not a valid integer: badge'],
  ['badge "_1"', body(SYLK, { badge: '_1' }), 400, 'value is not a valid integer: badge'],
  ['badge "1__0"', body(SYLK, { badge: '1__0' }), 400, 'value is not a valid integer: badge'],
  ['badge empty string', body(SYLK, { badge: '' }), 400, 'value is not a valid integer: badge'],
  ['badge object', body(SYLK, { badge: {} }), 400, 'value is not a valid integer: badge'],
  ['null badge', body(SYLK, { badge: null }), 400, 'none is not an allowed value: badge'],
  // Pushwire needs an event: a custom app type without one is refused like a missing required field.
  ['custom app without event', body(CUSTOM, { event: undefined }), 400, 'field required: event'],
];

const accepted: [name: string, input: Record<string, unknown>, changes: Partial<PushRequest>][] = [
  ['sylk call', SYLK, {}],
  ['apple alias', body(SYLK, { platform: 'apple' }), {}],
  ['apns alias', body(SYLK, { platform: 'apns' }), {}],
  ['android alias', body(SYLK, { platform: 'android' }), { platform: 'firebase' }],
  ['fcm alias', body(SYLK, { platform: 'fcm' }), { platform: 'firebase' }],
  ['firebase', body(SYLK, { platform: 'firebase' }), { platform: 'firebase' }],
  [
    'every optional field',
    body(SYLK, {
      event: 'incoming_conference_request',
      'device-id': 'dev',
      'from-display-name': 'Alice',
      reason: 'r',
      badge: 3,
      filename: 'f.png',
      filetype: 'image/png',
      account: 'room@conf',
      content: 'hi',
      'content-type': 'text/plain',
    }),
    {
      event: 'incoming_conference_request',
      deviceId: 'dev',
      fromDisplayName: 'Alice',
      reason: 'r',
      badge: 3,
      filename: 'f.png',
      filetype: 'image/png',
      account: 'room@conf',
      content: 'hi',
      contentType: 'text/plain',
    },
  ],
  [
    'unknown keys ignored, from_display_name is not an alias',
    body(SYLK, { from_display_name: 'X', extra: { a: 1 } }),
    {},
  ],
  ['explicit nulls on optional strings', body(SYLK, { 'device-id': null, reason: null, content: null }), {}],
  [
    'empty strings are values',
    body(SYLK, { token: '', 'call-id': '', 'from-display-name': '' }),
    { token: '', callId: '', fromDisplayName: '' },
  ],
  [
    'str fields stringify numbers and booleans as Python',
    body(SYLK, { token: 5, 'call-id': 1.5, from: true, to: 1.5e-7, 'device-id': -0.0001 }),
    { token: '5', callId: '1.5', from: 'True', to: '1.5e-07', deviceId: '-0.0001' },
  ],
  ['silent "1" (sylk-pushclient)', body(SYLK, { silent: '1' }), { silent: true }],
  ['silent 0 (SylkServer)', body(SYLK, { silent: 0 }), { silent: false }],
  ['silent "YES"', body(SYLK, { silent: 'YES' }), { silent: true }],
  ['silent "Off"', body(SYLK, { silent: 'Off' }), { silent: false }],
  ['silent "t"', body(SYLK, { silent: 't' }), { silent: true }],
  ['silent "n"', body(SYLK, { silent: 'n' }), { silent: false }],
  ['silent false', body(SYLK, { silent: false }), { silent: false }],
  ['badge "5"', body(SYLK, { badge: '5' }), { badge: 5 }],
  ['badge " +7 " (int() strips)', body(SYLK, { badge: ' +7 ' }), { badge: 7 }],
  ['badge "1_000"', body(SYLK, { badge: '1_000' }), { badge: 1000 }],
  ['badge "\\u0663" (Arabic-Indic three)', body(SYLK, { badge: '\u0663' }), { badge: 3 }],
  ['badge 5.7 truncates', body(SYLK, { badge: 5.7 }), { badge: 5 }],
  ['badge -5.7 truncates toward zero', body(SYLK, { badge: -5.7 }), { badge: -5 }],
  ['badge true is 1', body(SYLK, { badge: true }), { badge: 1 }],
  [
    'sylk cancel needs no media-type',
    body(SYLK, { event: 'cancel', 'media-type': undefined, reason: 'completed elsewhere' }),
    { event: 'cancel', mediaType: null, reason: 'completed elsewhere' },
  ],
  [
    'cancel keeps an unknown media-type out of the request',
    body(SYLK, { event: 'cancel', 'media-type': 'bogus' }),
    { event: 'cancel', mediaType: null },
  ],
  [
    'sylk message',
    body(SYLK, { event: 'message', 'media-type': 'sms', badge: '2', content: 'hi', 'content-type': 'text/plain' }),
    { event: 'message', mediaType: 'sms', badge: 2, content: 'hi', contentType: 'text/plain' },
  ],
  ['linphone without event or silent', LINPHONE, { appId: 'org.linphone', mediaType: 'video' }],
  ['linphone empty event defaults', body(LINPHONE, { event: '' }), { appId: 'org.linphone', mediaType: 'video' }],
  ['linphone null event defaults', body(LINPHONE, { event: null }), { appId: 'org.linphone', mediaType: 'video' }],
  [
    'linphone incoming_session, silent "0"',
    body(LINPHONE, { event: 'incoming_session', silent: '0' }),
    { appId: 'org.linphone', mediaType: 'video', silent: false },
  ],
  [
    'custom app: no items check, so no silent needed',
    CUSTOM,
    { appId: 'com.custom', event: 'message', mediaType: 'sms', token: 'tok', from: 'a', to: 'b' },
  ],
];

describe('validatePushRequest', () => {
  it.each(rejected)('rejects %s', (_name, input, status, description) => {
    const error = catchError(() => validatePushRequest(input, lookup));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toBeInstanceOf(PushValidationError);
    expect({ status: error.status, body: error.body }).toEqual({
      status,
      body: { code: status, description, data: '' },
    });
  });

  it.each(accepted)('accepts %s', (_name, input, changes) => {
    expect(validatePushRequest(input, lookup)).toEqual({ ...SYLK_EXPECTED, ...changes });
  });

  it('keeps the bare message and the field apart, for the v2 push path', () => {
    const field = catchError(() => validatePushRequest(body(SYLK, { badge: 'x' }), lookup));
    expect([field.reason, field.field]).toEqual(['value is not a valid integer', 'badge']);
    const root = catchError(() => validatePushRequest(body(SYLK, { 'app-id': 'com.nope' }), lookup));
    expect([root.reason, root.field]).toEqual(['Apple com.nope app is not configured', null]);
  });

  it('looks the app up with the normalised platform, and only for string app ids', () => {
    const calls: [string, Platform][] = [];
    const spy = (appId: string, platform: Platform): AppTypeRules | undefined => {
      calls.push([appId, platform]);
      return lookup(appId, platform);
    };
    validatePushRequest(body(SYLK, { platform: 'fcm' }), spy);
    catchError(() => validatePushRequest(body(SYLK, { 'app-id': 7 }), spy));
    expect(calls).toEqual([['com.sylk', 'firebase']]);
  });

  it('does not read inherited properties as fields', () => {
    const input = Object.create({ badge: 'x', 'device-id': 'inherited' }) as Record<string, unknown>;
    Object.assign(input, SYLK);
    expect(validatePushRequest(input, lookup)).toEqual(SYLK_EXPECTED);
  });
});

function catchError(fn: () => unknown): PushValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PushValidationError) return error;
    throw error;
  }
  throw new Error('expected a PushValidationError');
}
