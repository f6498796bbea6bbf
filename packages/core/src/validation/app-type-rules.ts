// How an app type constrains a v1 push request (Sylk's gen_validator_items and the Linphone event rule).
import type { Platform } from '../platform.js';

export interface AppTypeRules {
  /**
   * Raw JSON keys that must be present and not `null` (Sylk's per-app items), checked in this order and
   * listed in this order in the `item(s) missing.` message. `null` = a custom app type: no check.
   */
  requiredKeys: readonly string[] | null;
  /**
   * Linphone's rule: `event` may be omitted (it becomes `incoming_session`); any other event is 404
   * `event not found (must be incoming_sesion)`.
   */
  linphoneEvent: boolean;
  /**
   * A per-app check of the device token (a Web Push subscription and its allowed hosts): null when usable,
   * else the problem, answered as a 400 on the `token` field. Absent: any string.
   */
  checkToken?: (token: string) => string | null;
}

/** The rules of the configured app `(appId, platform)`, or `undefined` when no such app is configured. */
export type AppRulesLookup = (appId: string, platform: Platform) => AppTypeRules | undefined;

export const SYLK_RULES: AppTypeRules = {
  requiredKeys: ['app-id', 'call-id', 'platform', 'from', 'token', 'silent', 'to', 'event'],
  linphoneEvent: false,
};

export const LINPHONE_RULES: AppTypeRules = {
  requiredKeys: ['app-id', 'call-id', 'platform', 'from', 'token'],
  linphoneEvent: true,
};
