// The one error type of configuration loading: which file, which key, and why.

/**
 * A configuration problem that stops the start (docs/decisions/0005-configuration-errors.md). Per-app problems are not thrown: they
 * become `DisabledApp` entries instead.
 */
export class ConfigError extends Error {
  constructor(
    /** The file at fault (`general.ini` path, `applications.ini` path, `environment`, a directory). */
    readonly file: string,
    /** The setting at fault, e.g. `[server] allowed_hosts` or `REDIS_URL`; null when the whole file is. */
    readonly key: string | null,
    /** Why, in words an operator can act on. */
    readonly reason: string,
  ) {
    super(key === null ? `${file}: ${reason}` : `${file}: ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}
