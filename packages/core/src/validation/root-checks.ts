// Sylk's WakeUpRequest root validator (check_required_items_by_app): request-level checks on the raw JSON.
import { MEDIA_TYPES } from '../events.js';
import { isPlatform, normalizePlatform, platformLabel, type Platform } from '../platform.js';
import type { AppRulesLookup, AppTypeRules } from './app-type-rules.js';
import { pyStr, pyTruthy } from './python-format.js';
import { PushValidationError } from './validation-error.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export interface RootOutcome {
  platform: Platform;
  rules: AppTypeRules;
  /** The raw `event`, or `incoming_session` where the Linphone rule filled it in. */
  event: unknown;
}

export const MEDIA_TYPE_MESSAGE = "media-type must be 'audio', 'video', 'chat', 'sms', 'file-transfer', 'image'";
// The typo is upstream's and clients may match on it.
export const LINPHONE_EVENT_MESSAGE = 'event not found (must be incoming_sesion)';

/** An own property of the parsed body (a key named like an Object.prototype member must not leak in). */
export function rawField(body: JsonObject, key: string): unknown {
  return Object.hasOwn(body, key) ? body[key] : undefined;
}

/**
 * Runs Sylk's checks in Sylk's order; the first failure throws, as a pydantic `pre` root validator stops
 * validation. `app-id`, `platform` and `media-type` are tested for truthiness (`if not x`), the per-app
 * items for `is None`, exactly as upstream does.
 */
export function checkRoot(body: JsonObject, lookupApp: AppRulesLookup): RootOutcome {
  const { platform, rules } = checkAppAndPlatform(body, lookupApp, (p) => `'${p}' platform is not configured`);
  checkRequiredKeys(body, rules.requiredKeys);

  const event = rawField(body, 'event');
  if (event !== 'cancel') checkMediaType(rawField(body, 'media-type'));
  if (!rules.linphoneEvent) return { platform, rules, event };
  if (pyTruthy(event) && event !== 'incoming_session') throw new PushValidationError(LINPHONE_EVENT_MESSAGE);
  return { platform, rules, event: pyTruthy(event) ? event : 'incoming_session' };
}

/**
 * The first checks of every Sylk model that names an app: `app-id` and `platform` present (truthy), the
 * platform known after aliasing, the (app, platform) pair configured. v1 and v2 word the unknown platform
 * differently, hence `unknownPlatform`.
 */
export function checkAppAndPlatform(
  body: JsonObject,
  lookupApp: AppRulesLookup,
  unknownPlatform: (platform: string) => string,
): { appId: string; platform: Platform; rules: AppTypeRules } {
  const appId = rawField(body, 'app-id');
  const rawPlatform = rawField(body, 'platform');
  if (!pyTruthy(appId)) throw new PushValidationError("Field 'app-id' required");
  if (!pyTruthy(rawPlatform)) throw new PushValidationError("Field 'platform' required");

  const platform = typeof rawPlatform === 'string' ? normalizePlatform(rawPlatform) : rawPlatform;
  if (typeof platform !== 'string' || !isPlatform(platform)) {
    // Sylk answers 500 here for a non-string platform (its logger calls .title() on it): a 404 instead.
    throw new PushValidationError(unknownPlatform(pyStr(platform)));
  }
  const rules = lookupAppRules(appId, platform, lookupApp);
  return { appId: appId as string, platform, rules };
}

function lookupAppRules(appId: unknown, platform: Platform, lookupApp: AppRulesLookup): AppTypeRules {
  // Sylk looks `(app_id, platform)` up in a dict: a list or dict app-id makes that tuple unhashable.
  if (Array.isArray(appId)) throw new PushValidationError("unhashable type: 'list'");
  if (typeof appId === 'object' && appId !== null) throw new PushValidationError("unhashable type: 'dict'");
  // Configured app ids are strings, so a number or boolean never matches.
  const rules = typeof appId === 'string' ? lookupApp(appId, platform) : undefined;
  if (rules === undefined) {
    throw new PushValidationError(`${platformLabel(platform)} ${pyStr(appId)} app is not configured`);
  }
  return rules;
}

function checkRequiredKeys(body: JsonObject, requiredKeys: readonly string[] | null): void {
  if (requiredKeys === null) return;
  const missing = requiredKeys.filter((key) => rawField(body, key) == null);
  // Sylk's separator really is " ,"; the key order is the rule's (Sylk's comes from a set: docs/decisions/0003-deliberate-differences.md).
  if (missing.length > 0) throw new PushValidationError(`'${missing.join(' ,')}' item(s) missing.`);
}

function checkMediaType(mediaType: unknown): void {
  if (!pyTruthy(mediaType)) throw new PushValidationError('Field media-type required');
  if (!(MEDIA_TYPES as readonly unknown[]).includes(mediaType)) throw new PushValidationError(MEDIA_TYPE_MESSAGE);
}
