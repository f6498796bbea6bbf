// The Linphone app type (Sylk's applications/linphone.py): incoming-call wake-ups only.
import type { OutgoingPush, PushRequest } from '@pushwire/core';
import type { AppType, BuildContext, FirebaseBuildContext, WebPushBuildContext } from '../app-type.js';
import { LINPHONE_RULES } from '../rules.js';
import { linphoneAppleHeaders } from './apple-headers.js';
import { linphoneApplePayload } from './apple-payloads.js';
import { linphoneFirebasePayload } from './firebase-payloads.js';
import { linphoneWebPushPayload } from './webpush-payloads.js';
import { webPushHeaders } from '../webpush-headers.js';

// Validation only lets `incoming_session` through for Linphone, so the builders never look at the event.
export const linphone: AppType = {
  name: 'linphone',
  rules: LINPHONE_RULES,
  apple(request: PushRequest, ctx: BuildContext): OutgoingPush {
    return {
      token: request.token,
      headers: linphoneAppleHeaders(request.appId),
      payload: linphoneApplePayload(request, ctx.now),
    };
  },
  firebase(request: PushRequest, ctx: FirebaseBuildContext): OutgoingPush {
    return { token: request.token, headers: {}, payload: linphoneFirebasePayload(request, ctx.now, ctx.legacy) };
  },
  webpush(request: PushRequest, ctx: WebPushBuildContext): OutgoingPush {
    return {
      token: request.token,
      headers: webPushHeaders(request, ctx.now.getTime(), ctx.deadlineAt),
      payload: linphoneWebPushPayload(request, ctx.now),
    };
  },
};

export { linphoneAppleHeaders, linphoneVoipTopic } from './apple-headers.js';
export * from './apple-payloads.js';
export * from './firebase-payloads.js';
export * from './webpush-payloads.js';
export { linphoneSendTime } from './send-time.js';
