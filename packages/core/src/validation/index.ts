// v1 `/push` request validation with Sylk's exact messages and pydantic v1 coercions.
export * from './app-type-rules.js';
export { validatePushRequest, EVENT_MESSAGE } from './validate-push-request.js';
export { PushValidationError, validationStatus } from './validation-error.js';
export { MEDIA_TYPE_MESSAGE, LINPHONE_EVENT_MESSAGE } from './root-checks.js';
export { WakeUpRequestSchema, type WakeUpRequestBody } from './wake-up-schema.js';
export { AddTokenRequestSchema, RemoveTokenRequestSchema, V2PushRequestSchema } from './v2-schemas.js';
export { WAKE_UP_FIELDS, type WakeUpField, type WakeUpFieldKind, type WakeUpKey } from './wake-up-fields.js';
export { requestIdOf } from './request-id.js';
export * from './v2-requests.js';
export { assertJsonObject } from './field-table.js';
export { assertNoControlCharacters, hasControlCharacters, CONTROL_CHARACTERS_MESSAGE } from './control-characters.js';
