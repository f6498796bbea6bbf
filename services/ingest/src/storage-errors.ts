// Token storage failures become a clear 503: nothing was half-written (the backends guarantee it). A full
// account is the caller's to fix: 409.
import { HttpError } from '@pushwire/core';
import { DeviceLimitError, StorageUnavailableError } from '@pushwire/storage';
import type { IngestDeps } from './ingest-deps.js';

export async function withStorage<T>(deps: Pick<IngestDeps, 'logger'>, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof StorageUnavailableError) {
      deps.logger.error({ err: error.message }, 'token storage unavailable');
      throw HttpError.envelope(503, `token storage unavailable (${error.backend}): retry later`);
    }
    if (error instanceof DeviceLimitError) {
      deps.logger.warn(
        { event: 'device-limit', max_devices: error.maxDevices },
        `device not registered: ${error.message}`,
      );
      throw HttpError.envelope(
        409,
        `account already holds the maximum of ${error.maxDevices} devices (PUSHWIRE_MAX_DEVICES_PER_ACCOUNT): remove one first`,
        { account: error.account, max_devices: error.maxDevices },
      );
    }
    throw error;
  }
}
