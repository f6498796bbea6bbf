// Validation rules of the built-in app types live with the v1 validator in core; re-exported for app modules.
export { type AppTypeRules, SYLK_RULES, LINPHONE_RULES } from '@pushwire/core';
