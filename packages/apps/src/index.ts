// @pushwire/apps: per app type × platform, the headers and payload Sylk would send.
export type { AppType, BuildContext, FirebaseBuildContext, WebPushBuildContext } from './app-type.js';
export { APP_TYPES, appTypeNames, getAppType } from './registry.js';
export { type AppTypeRules, LINPHONE_RULES, SYLK_RULES } from './rules.js';
export { apnsBaseTopic } from './apns-topic.js';
export { toFcmData } from './fcm-data.js';
export { webPushHeaders, webPushTopic, WEBPUSH_MESSAGE_TTL_S } from './webpush-headers.js';
export * from './sylk/index.js';
export * from './linphone/index.js';
