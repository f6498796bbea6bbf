// Sylk's start-up warning for an app left out because of its configuration.
import type { DisabledApp } from './types.js';

/**
 * `<Name> app with <id> id for <platform> platform will not be available, reason: <reason>`, word for
 * word as Sylk logs it (Name is the app type with its first letter capitalised, like Python's
 * `capitalize()`). A section too broken to name an app is described by its section name instead.
 */
export function describeDisabledApp(app: DisabledApp): string {
  if (app.appType === null || app.appId === null || app.platform === null) {
    return `Application in section [${app.section}] will not be available, reason: ${app.reason}`;
  }
  const name = app.appType.charAt(0).toUpperCase() + app.appType.slice(1).toLowerCase();
  return `${name} app with ${app.appId} id for ${app.platform} platform will not be available, reason: ${app.reason}`;
}
