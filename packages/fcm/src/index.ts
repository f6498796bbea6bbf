// Firebase Cloud Messaging: the push provider and the mapping of FCM answers onto Sylk's results.
export { FcmProvider, type FcmProviderOptions } from './fcm-provider.js';
export { mapFcmResponse, fcmErrorCodeOf, failedSend, type FcmResponseExtras } from './map-fcm-response.js';
export {
  AccessTokenSource,
  FCM_SCOPE,
  GOOGLE_TOKEN_URL,
  type AccessTokenSourceOptions,
} from './access-token-source.js';
export { encodingFromContentType, responseBody } from './response-body.js';
