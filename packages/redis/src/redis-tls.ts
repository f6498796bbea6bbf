// Trust for a `rediss://` server: Node's default roots plus the CA files the operator names (PUSHWIRE_REDIS_CA).
import { errorMessage } from '@pushwire/core';
import { readFileSync } from 'node:fs';
import { rootCertificates, type ConnectionOptions } from 'node:tls';

/** A CA file for Redis could not be used; names the file, never its content. */
export class RedisCaError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Redis CA file ${file}: ${reason}`);
    this.name = 'RedisCaError';
  }
}

/**
 * The `tls` options of a connection to a `rediss://` server that trusts `caFiles` (PEM) besides Node's
 * default roots, or undefined when there are none (ioredis then verifies against Node's defaults, which
 * already include NODE_EXTRA_CA_CERTS). An explicit `ca` list replaces Node's, so the defaults are listed
 * again: a managed Redis with a public certificate keeps working when a private CA is added.
 */
export function redisTlsOptions(caFiles: readonly string[]): ConnectionOptions | undefined {
  if (caFiles.length === 0) return undefined;
  const extra = caFiles.map((file) => {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new RedisCaError(file, errorMessage(error));
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new RedisCaError(file, 'holds no PEM certificate');
    return pem;
  });
  return { ca: [...rootCertificates, ...extra] };
}
