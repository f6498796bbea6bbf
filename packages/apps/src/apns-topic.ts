// The APNs topic base shared by all app types: the app-id without a trailing `.dev` / `.prod` label.

/**
 * Sylk: `if app_id.endswith('.dev') or app_id.endswith('.prod'): '.'.join(app_id.split('.')[:-1])`.
 * Case-sensitive, one label only (`com.x.dev.prod` → `com.x.dev`); `com.xdev` is left alone.
 */
export function apnsBaseTopic(appId: string): string {
  if (appId.endsWith('.dev') || appId.endsWith('.prod')) {
    return appId.slice(0, appId.lastIndexOf('.'));
  }
  return appId;
}
