// The ingest-side check of a Web Push device token, for v1 pushes and v2 registrations.
import type { WebPushAppConfig } from '@pushwire/core';
import { checkSubscription } from './subscription.js';

/** Null when the token is a usable subscription for this app, else why not (answered as a 400). */
export function webPushTokenProblem(app: Pick<WebPushAppConfig, 'allowedHosts'>, token: string): string | null {
  const checked = checkSubscription(token, app.allowedHosts);
  return checked.ok ? null : checked.problem;
}
