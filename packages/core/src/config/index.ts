// The configuration package: load Sylk's config directory and the environment into one typed model.
export * from './types.js';
export { ConfigError } from './config-error.js';
export { parseIni, type IniDocument } from './ini-parser.js';
export { parseNetwork, NetworkParseError, type IpNetwork } from './cidr.js';
export { parseAllowedHosts } from './allowed-hosts.js';
export { readPushwireSettings, PUSHWIRE_ENV_VARIABLES } from './env-settings.js';
export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { redactConfig, redactUrlPassword, REDACTED, type JsonValue } from './redact.js';
export { redactUrlSecrets, redactUrlsInText } from './redact-url.js';
export { describeDisabledApp } from './describe-disabled-app.js';
export {
  readAdminConfig,
  ADMIN_KEYS,
  DEFAULT_ADMIN_CONFIG,
  DEFAULT_ADMIN_ALLOWED_HOSTS,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_RETENTION_JOBS,
  type AdminConfig,
  type AdminCredentials,
  type AdminSecret,
} from './admin-config.js';
export {
  readCallersConfig,
  hashCallerKey,
  parseTrustedProxies,
  DEFAULT_CALLERS_CONFIG,
  CALLER_SECTION_PREFIX,
  type CallersConfig,
  type CallerKeyConfig,
  type CallerRate,
  type CallersReading,
} from './callers-config.js';
export { parseDeliveryPolicy, DEFAULT_APP_DELIVERY, DEFAULT_CALL_DEADLINE_MS } from './delivery-policy.js';
export { DEFAULT_WEBPUSH_HOSTS, DEFAULT_WEBPUSH_CHECK_ENDPOINT, parseVapidKeyFile } from './webpush-app.js';
