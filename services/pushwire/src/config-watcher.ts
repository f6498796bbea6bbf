// Sylk's hot reload: watch general.ini, applications.ini and the credentials folder, and report changes.
// Polling (as Sylk does) rather than fs.watch: it works the same on bind mounts, ConfigMap symlink swaps
// and network filesystems, and the cost is a few stat() calls per interval.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface WatchedFiles {
  generalIni: string | null;
  applicationsIni: string;
  credentialsDir: string;
}

export interface ConfigWatcherOptions {
  /** How often to look, ms. Default 500. */
  intervalMs?: number;
  /** Called once per burst of changes (after `settleMs` without further change). */
  onChange(): void;
  /** Quiet time that ends a burst (an editor writes a file in several steps), ms. Default 300. */
  settleMs?: number;
}

/** A fingerprint of everything watched: paths with their mtime and size (missing files included). */
export function fingerprint(files: WatchedFiles): string {
  const entries: string[] = [];
  const stamp = (path: string) => {
    try {
      const st = statSync(path);
      entries.push(`${path}:${st.mtimeMs}:${st.size}`);
    } catch {
      entries.push(`${path}:missing`);
    }
  };
  if (files.generalIni) stamp(files.generalIni);
  stamp(files.applicationsIni);
  stamp(files.credentialsDir);
  try {
    for (const name of readdirSync(files.credentialsDir).sort()) stamp(join(files.credentialsDir, name));
  } catch {
    // A missing credentials folder is part of the fingerprint already.
  }
  return entries.join('\n');
}

export function watchConfig(files: WatchedFiles, options: ConfigWatcherOptions): { close(): void } {
  let last = fingerprint(files);
  let settle: NodeJS.Timeout | undefined;
  const timer = setInterval(() => {
    const now = fingerprint(files);
    if (now === last) return;
    last = now;
    clearTimeout(settle);
    settle = setTimeout(options.onChange, options.settleMs ?? 300);
  }, options.intervalMs ?? 500);
  timer.unref();
  return {
    close() {
      clearInterval(timer);
      clearTimeout(settle);
    },
  };
}
