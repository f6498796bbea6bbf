// Web Push (browsers): the push provider, subscription checks and the mapping of push service answers.
export { WebPushProvider, type WebPushProviderOptions } from './webpush-provider.js';
export { checkSubscription, type WebPushSubscription, type SubscriptionCheck } from './subscription.js';
export { isAllowedHost } from './endpoint-hosts.js';
export { webPushTokenProblem } from './token-check.js';
export {
  mapWebPushResponse,
  failedWebPush,
  refusedWebPush,
  webPushReasonLabel,
  type WebPushBody,
  type WebPushReply,
} from './map-webpush-response.js';
export { WEBPUSH_REASONS, webPushReasonOf, type WebPushReason } from './webpush-reasons.js';
export { VapidHeaders } from './vapid-headers.js';
