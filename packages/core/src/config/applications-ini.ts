// applications.ini: one app per section, keyed by (app_id, platform); a broken app is disabled, not fatal.
import { buildAppleApp } from './apple-app.js';
import { setting, type AppBase, type AppBuildContext } from './app-build.js';
import { AppProblem, credentialPath, parseCertificates, readCredential } from './credential-files.js';
import { parseDeliveryPolicy } from './delivery-policy.js';
import { buildFirebaseApp } from './firebase-app.js';
import { buildHuaweiApp } from './huawei-app.js';
import { buildWebPushApp } from './webpush-app.js';
import type { IniDocument } from './ini-parser.js';
import { parseLogRemote } from './log-remote.js';
import { appKey, type AppConfig, type DisabledApp } from './types.js';
import { isPlatform, PLATFORMS, type Platform } from '../platform.js';

export interface ApplicationsOptions {
  /** Directory every credential file name is taken relative to. */
  credentialsDir: string;
  /** App types with a payload module (`sylk`, `linphone`, ...), lower case. */
  knownAppTypes: readonly string[];
}

export interface LoadedApplications {
  apps: AppConfig[];
  disabledApps: DisabledApp[];
  warnings: string[];
}

type SectionOutcome = { app: AppConfig } | { disabled: DisabledApp };

/**
 * Builds every section of a parsed applications.ini. Per-app problems become `disabledApps` entries with
 * Sylk's reason text where Sylk has one (docs/decisions/0005-configuration-errors.md). When two sections configure the same
 * (app_id, platform), the later one wins, as in Sylk, and a warning says so.
 */
export function loadApplications(doc: IniDocument, options: ApplicationsOptions): LoadedApplications {
  const warnings: string[] = [];
  const byKey = new Map<string, { section: string; outcome: SectionOutcome }>();
  const unkeyed: DisabledApp[] = [];

  for (const [section, values] of doc.sections) {
    const warn = (message: string): void => {
      warnings.push(`${doc.fileName} [${section}]: ${message}`);
    };
    const outcome = loadSection(section, values, { ...options, warn });
    const appId = 'app' in outcome ? outcome.app.appId : outcome.disabled.appId;
    const platform = 'app' in outcome ? outcome.app.platform : outcome.disabled.platform;
    if (appId === null || platform === null || !isPlatform(platform)) {
      if ('disabled' in outcome) unkeyed.push(outcome.disabled);
      continue;
    }
    const key = appKey(appId, platform);
    const earlier = byKey.get(key);
    if (earlier) {
      warnings.push(
        `${doc.fileName}: section [${section}] overrides section [${earlier.section}]: both configure ` +
          `app_id ${appId} for ${platform} platform`,
      );
      byKey.delete(key);
    }
    byKey.set(key, { section, outcome });
  }

  const apps: AppConfig[] = [];
  const disabledApps: DisabledApp[] = [];
  for (const { outcome } of byKey.values()) {
    if ('app' in outcome) apps.push(outcome.app);
    else disabledApps.push(outcome.disabled);
  }
  return { apps, disabledApps: [...disabledApps, ...unkeyed], warnings };
}

const APP_BUILDERS: Readonly<
  Record<Platform, (values: ReadonlyMap<string, string>, base: AppBase, context: AppBuildContext) => AppConfig>
> = {
  apple: buildAppleApp,
  firebase: buildFirebaseApp,
  huawei: buildHuaweiApp,
  webpush: buildWebPushApp,
};

function loadSection(
  section: string,
  values: ReadonlyMap<string, string>,
  options: ApplicationsOptions & { warn: (message: string) => void },
): SectionOutcome {
  const appId = setting(values, 'app_id') ?? null;
  const appType = setting(values, 'app_type')?.toLowerCase() ?? null;
  const platformText = setting(values, 'app_platform')?.toLowerCase() ?? null;
  const disable = (reason: string): SectionOutcome => ({
    disabled: { section, appId, appType, platform: platformText, reason },
  });

  if (appId === null || appType === null || platformText === null) {
    const missing = [
      appId === null ? 'app_id' : null,
      appType === null ? 'app_type' : null,
      platformText === null ? 'app_platform' : null,
    ].filter((name) => name !== null);
    return disable(`${missing.join(', ')} not found in applications.ini`);
  }
  if (!isPlatform(platformText)) {
    return disable(`unknown app_platform "${platformText}": it must be ${PLATFORMS.join(', ')}`);
  }
  const platform: Platform = platformText;

  const context: AppBuildContext = { credentialsDir: options.credentialsDir, warn: options.warn };
  try {
    const base: AppBase = {
      section,
      appId,
      appType,
      logRemote: parseLogRemote(values, options.warn),
      caPem: loadCa(values, platform, context),
      delivery: parseDeliveryPolicy(values, options.warn),
    };
    const app = APP_BUILDERS[platform](values, base, context);
    // Sylk resolves the app type last, after the push service's credentials.
    if (!options.knownAppTypes.includes(appType)) return disable(`${appType} module not found`);
    return { app };
  } catch (error) {
    if (error instanceof AppProblem) return disable(error.message);
    throw error;
  }
}

/** Pushwire's `apple_ca` / `firebase_ca`: an extra trust anchor for this app's push service only. */
function loadCa(values: ReadonlyMap<string, string>, platform: Platform, context: AppBuildContext): string | null {
  const name = setting(values, `${platform}_ca`);
  if (name === undefined) return null;
  const file = credentialPath(context.credentialsDir, name);
  return parseCertificates(readCredential(file, platform === 'apple' ? '.' : ''), file).pem;
}
