// Token storage failures become a clear 503: nothing was half-written (the backends guarantee it).
import { HttpError } from '@pushwire/core';
import { StorageUnavailableError } from '@pushwire/storage';
import type { IngestDeps } from './ingest-deps.js';

export async function withStorage<T>(deps: Pick<IngestDeps, 'logger'>, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof StorageUnavailableError) {
      deps.logger.error({ err: error.message }, 'token storage unavailable');
      throw HttpError.envelope(503, `token storage unavailable (${error.backend}): retry later`);
    }
    throw error;
  }
}
