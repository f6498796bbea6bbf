// `start`, `ingest` and `worker`: load the config once, then run the chosen roles until SIGTERM/SIGINT.
import { join } from 'node:path';
import { APP_TYPES, getAppType } from '@pushwire/apps';
import {
  describeDisabledApp,
  errorMessage,
  loadConfig,
  platformLabel,
  redactConfig,
  type AppConfig,
  type AppTypeRules,
  type PushwireConfig,
} from '@pushwire/core';
import { startIngest, type RunningIngest } from '@pushwire/ingest';
import { createLogger, type Logger } from '@pushwire/logging';
import { startHealthServer, startWorker, type RunningWorker } from '@pushwire/worker';
import { webPushTokenProblem } from '@pushwire/webpush';
import type { CliArgs } from '../cli-args.js';
import { watchConfig } from '../config-watcher.js';
import { ensureRedis, type EnsuredRedis } from '../ensure-redis.js';
import { assertPortFree } from '../port-check.js';
import { lockSandbox, type SandboxLock } from '../sandbox-lock.js';
import { SANDBOX_PREFIX, sandboxHome } from '../sandbox-home.js';
import { describeRedisInUse } from '../redis-in-use.js';
import { assertRedisKeepsKeys } from '../redis-policy.js';
import { startSandboxOnDemand, type StartedSandbox } from '../sandbox-loader.js';
import { openTokenStorage } from '../storage-from-config.js';
import { createProcessMetrics } from '../metrics/process-metrics.js';

export type Role = 'ingest' | 'worker';

/** Bound on a graceful stop: in-flight pushes finish, then the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 30_000;
/** Where the sandbox listens unless --ip / --port say otherwise (Sylk's defaults). */
const SANDBOX_HOST = '127.0.0.1';
const SANDBOX_PORT = 8400;

export async function runServices(
  args: CliArgs,
  roles: readonly Role[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const paths = sandboxHome(env);
  const bootLogger = createLogger({ name: 'pushwire', level: args.debug ? 'debug' : 'info' });

  let sandbox: StartedSandbox | null = null;
  let sandboxLock: SandboxLock | null = null;
  let configDir = args.configDir;
  let redis: EnsuredRedis | null = null;
  let config: PushwireConfig;
  let readConfig: () => PushwireConfig;
  try {
    if (!configDir) {
      if (!roles.includes('ingest') || !roles.includes('worker')) {
        throw new Error('--config_dir (or PUSHWIRE_CONFIG_DIR) is required for the ingest and worker commands');
      }
      // Before the sandbox writes its files: a running one must keep its own (it reloads them on change).
      const port = args.port ?? SANDBOX_PORT;
      sandboxLock = lockSandbox(paths.lock, port, paths.dir);
      await assertPortFree(args.ip ?? SANDBOX_HOST, port);
      sandbox = await startSandboxOnDemand(paths.dir);
      configDir = sandbox.sandbox.configDir;
    }

    redis = await ensureRedis(env, paths.home, bootLogger);
    // The sandbox keeps its keys apart from whatever else lives in a Redis it found running.
    const prefix = sandbox ? env.PUSHWIRE_PREFIX || SANDBOX_PREFIX : env.PUSHWIRE_PREFIX;
    const serviceEnv = { ...env, REDIS_URL: redis.url, ...(prefix ? { PUSHWIRE_PREFIX: prefix } : {}) };
    readConfig = () =>
      loadConfig({
        configDir: configDir!,
        overrides: { ip: args.ip ?? undefined, port: args.port ?? undefined, debug: args.debug },
        env: serviceEnv,
        knownAppTypes: Object.keys(APP_TYPES),
      });
    config = readConfig();
    if (!sandbox && roles.includes('ingest')) await assertPortFree(config.server.host, config.server.port);
  } catch (error) {
    await redis?.local?.stop();
    await sandbox?.sandbox.close();
    sandboxLock?.release();
    throw error;
  }
  const logger = createLogger({
    name: 'pushwire',
    level: config.server.debug ? 'debug' : 'info',
    file: config.server.logToFile ? config.server.logFile : null,
  });
  const origin = env.REDIS_URL ? 'env' : redis?.local ? 'started' : 'found';
  logger.info(describeRedisInUse({ url: config.pushwire.redisUrl, prefix: config.pushwire.prefix, origin }));
  reportConfig(config, logger);
  await assertRedisKeepsKeys(config.pushwire);

  const lookupApp = lookupFor(config);
  const metrics = createProcessMetrics({ ingest: roles.includes('ingest'), worker: roles.includes('worker') });
  const storage = await openTokenStorage(config, env, logger, metrics.redisLinks);
  let worker: RunningWorker | null = metrics.worker
    ? await startWorker({ config, logger, storage, metrics: metrics.worker, redisLinks: metrics.redisLinks })
    : null;
  const ingest: RunningIngest | null = metrics.ingest
    ? await startIngest({ config, logger, lookupApp, storage, metrics: metrics.ingest, redisLinks: metrics.redisLinks })
    : null;
  // The worker's HTTP port outlives reloads (they replace the worker, not the port): it asks for the current one.
  const workerHttpPort = config.pushwire.workerHttpPort ?? null;
  const health =
    worker && workerHttpPort !== null
      ? await startHealthServer({
          port: workerHttpPort,
          host: config.server.host,
          registry: metrics.registry,
          logger,
          readiness: () => worker!.readiness(),
        })
      : null;
  if (sandbox && ingest) printSandboxBanner(ingest.url, sandbox);

  // Sylk's hot reload: a valid new configuration replaces the old one; an invalid one is refused and the
  // old one keeps serving (Sylk's reload fell back to "allow all" on a bad allowed_hosts: not copied).
  let reloading = Promise.resolve();
  const reload = async () => {
    let next: PushwireConfig;
    try {
      next = readConfig();
    } catch (error) {
      logger.error(`Settings can not be updated, reason: ${errorMessage(error)}`);
      return;
    }
    logger.info('Configuration changed: reloading');
    reportConfig(next, logger);
    await ingest?.reload(next, lookupFor(next));
    if (worker) {
      // The new workers start before the old ones stop, so no queue is ever left without a consumer.
      const previous = worker;
      worker = await startWorker({
        config: next,
        logger,
        storage,
        metrics: metrics.worker ?? undefined,
        redisLinks: metrics.redisLinks,
      });
      await previous.close();
    }
    config = next;
  };
  // general.ini is watched even when absent: creating it is a change too.
  const files = config.files
    ? { ...config.files, generalIni: config.files.generalIni ?? join(configDir, 'general.ini') }
    : null;
  const watcher = files ? watchConfig(files, { onChange: () => (reloading = reloading.then(reload, reload)) }) : null;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping (in-flight pushes finish first)`);
    const force = setTimeout(() => {
      logger.error(`graceful stop took longer than ${SHUTDOWN_TIMEOUT_MS} ms: exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    watcher?.close();
    await reloading;
    await ingest?.close();
    await worker?.close();
    await health?.close();
    await storage.close();
    await sandbox?.sandbox.close();
    await redis?.local?.stop();
    sandboxLock?.release();
    logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

function lookupFor(config: PushwireConfig) {
  const rules = new Map(config.apps.map((a) => [`${a.appId}\u0000${a.platform}`, rulesOf(a)]));
  return (appId: string, platform: string) => rules.get(`${appId}\u0000${platform}`) ?? undefined;
}

/** The app type's rules, plus the app's own token check where its push service has one. */
function rulesOf(app: AppConfig): AppTypeRules | undefined {
  const rules = getAppType(app.appType)?.rules;
  if (!rules || app.platform !== 'webpush') return rules;
  return { ...rules, checkToken: (token) => webPushTokenProblem(app, token) };
}

function reportConfig(config: PushwireConfig, logger: Logger): void {
  logger.info(`Reading configuration from ${config.configDir}`);
  for (const app of config.apps) logger.info(`Loaded ${platformLabel(app.platform)} ${app.appType} app ${app.appId}`);
  for (const warning of config.warnings) logger.warn(warning);
  for (const disabled of config.disabledApps) logger.error(describeDisabledApp(disabled));
  if (config.apps.length === 0) {
    logger.warn(`No app is enabled in ${config.configDir}: every push is refused and /readyz answers 503 until one is`);
  }
  logger.debug({ config: redactConfig(config) }, 'effective configuration');
}

function printSandboxBanner(url: string, { apps: sandboxApps, sandbox }: StartedSandbox): void {
  const apps = sandboxApps.map((a) => `    ${a.appId} (${a.appType}, ${a.platform})`).join('\n');
  process.stderr.write(
    `\n  *** SANDBOX MODE: pushes go to local APNs/FCM/Web Push emulators, never to Apple, Google or a browser vendor ***\n` +
      `  Pushwire listens on ${url}. Sandbox apps:\n${apps}\n` +
      `  Try:\n    curl -s ${url}/push -H 'content-type: application/json' -d '{"app-id":"com.pushwire.sandbox.sylk.dev",` +
      `"platform":"apple","token":"${'a'.repeat(64)}","event":"incoming_session","call-id":"c1","from":"alice@example.com",` +
      `"to":"bob@example.com","media-type":"audio","silent":true}'\n` +
      `  Web Push: curl -s ${url}/push -H 'content-type: application/json' -d @${sandbox.configDir}/webpush-call.json; what the\n` +
      `  browser receives, decrypted: ${sandbox.webpush.demoUrl}?id=sandbox-subscription-1 (certificate: the sandbox CA)\n` +
      `  Use --config_dir /etc/sylk-pushserver to run on a real Sylk configuration.\n\n`,
  );
}
