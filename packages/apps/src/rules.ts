// Validation rules of the built-in app types (Sylk's gen_validator_items), until @pushwire/core exports them.
/**
 * Mirrors `AppTypeRules` of packages/core/src/validation (same shape): when core exports it, this module
 * re-exports core's instead and nothing else changes.
 */
export interface AppTypeRules {
  /** Raw JSON keys that must be present and non-null; null = custom app type, check skipped. */
  requiredKeys: readonly string[] | null;
  /** Event may be omitted (→ `incoming_session`); any other event is 404 (Linphone). */
  linphoneEvent: boolean;
}

export const SYLK_RULES: AppTypeRules = {
  requiredKeys: ['app-id', 'call-id', 'platform', 'from', 'token', 'silent', 'to', 'event'],
  linphoneEvent: false,
};

export const LINPHONE_RULES: AppTypeRules = {
  requiredKeys: ['app-id', 'call-id', 'platform', 'from', 'token'],
  linphoneEvent: true,
};
