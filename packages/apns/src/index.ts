// @pushwire/apns: the APNs push provider (HTTP/2, token or certificate auth) and its shared provider tokens.
export { ApnsProvider, type ApnsProviderOptions } from './apns-provider.js';
export type { ApnsLogger } from './apns-logger.js';
export type { ApnsConnectionObserver } from './connection-observer.js';
export type { ProviderTokenSource } from './provider-token-source.js';
export { RedisProviderTokens, type RedisProviderTokensOptions } from './redis-provider-tokens.js';
export { ProviderTokenSigner } from './provider-token-signer.js';
export { apnsErrorDescription, describeApnsReason, describedApnsReasons } from './apns-reasons.js';
export { mapApnsResponse } from './map-apns-response.js';
export { UNTRUSTED_CERTIFICATE_REASON } from './transport-failure.js';
