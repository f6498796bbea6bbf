// The Sylk app type (Sylk's applications/sylk.py): calls, cancels, messages and file transfers.
import type { OutgoingPush, PushRequest } from '@pushwire/core';
import type { AppType, WebPushBuildContext } from '../app-type.js';
import { SYLK_RULES } from '../rules.js';
import { sylkAppleHeaders } from './apple-headers.js';
import { sylkApplePayload } from './apple-payloads.js';
import { sylkFirebasePayload } from './firebase-payloads.js';
import { sylkWebPushPayload } from './webpush-payloads.js';
import { webPushHeaders } from '../webpush-headers.js';

export const sylk: AppType = {
  name: 'sylk',
  rules: SYLK_RULES,
  apple(request: PushRequest): OutgoingPush {
    return { token: request.token, headers: sylkAppleHeaders(request), payload: sylkApplePayload(request) };
  },
  // Sylk ignores the legacy flag: its Firebase payload is always the v1 envelope.
  firebase(request: PushRequest): OutgoingPush {
    return { token: request.token, headers: {}, payload: sylkFirebasePayload(request) };
  },
  webpush(request: PushRequest, ctx: WebPushBuildContext): OutgoingPush {
    return {
      token: request.token,
      headers: webPushHeaders(request, ctx.now.getTime(), ctx.deadlineAt),
      payload: sylkWebPushPayload(request),
    };
  },
};

export { sylkAppleHeaders } from './apple-headers.js';
export * from './apple-payloads.js';
export * from './firebase-payloads.js';
export * from './webpush-payloads.js';
