// Starts the sandbox (the APNs/FCM emulators under test/) for a `start` without a config. It is loaded here,
// on demand, so that a production process never loads test code (the emulators, node-forge).
import type { Sandbox, SANDBOX_APPS } from '@pushwire/sandbox-emulators';

export interface StartedSandbox {
  sandbox: Sandbox;
  apps: typeof SANDBOX_APPS;
}

/** The sandbox is a development feature: an installation without its dev dependencies (the image) has none. */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

export async function startSandboxOnDemand(dir: string): Promise<StartedSandbox> {
  let emulators: typeof import('@pushwire/sandbox-emulators');
  try {
    emulators = await import('@pushwire/sandbox-emulators');
  } catch (error) {
    if (!isMissingModule(error)) throw error;
    throw new SandboxUnavailableError(
      'no --config_dir given, and this installation has no sandbox (the local APNs/FCM emulators ship with the ' +
        'development checkout, not with production installs): pass --config_dir DIR (or PUSHWIRE_CONFIG_DIR)',
    );
  }
  return { sandbox: await emulators.startSandbox({ dir }), apps: emulators.SANDBOX_APPS };
}

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
