// Runs `pushwire <command>` as a child process and waits for a line announcing readiness.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('../../services/pushwire/src/main.ts', import.meta.url));
// Node itself runs main.ts with tsx's loader: the `tsx` command would put a relay process in between, and
// a SIGKILL to that relay leaves the real service running (orphaned), which would fake every crash test.
const TSX_LOADER = pathToFileURL(createRequire(new URL('../../package.json', import.meta.url)).resolve('tsx')).href;
/** Workspace packages resolve to their TypeScript sources, not to a build (see package.json "exports"). */
const SOURCE_CONDITION = '--conditions=pushwire-source';

export interface ChildService {
  readonly process: ChildProcess;
  /** The service's own process id (no wrapper in between): signals and /proc/<pid> reach the service. */
  readonly pid: number;
  /** Resolves with the exit code (null when killed by a signal or when spawning failed). */
  readonly exited: Promise<number | null>;
  /** Everything the child wrote so far (JSON log lines and banners). */
  output(): string;
  /** Resolves when the output contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnPushwire(args: string[], env: NodeJS.ProcessEnv): ChildService {
  const child = spawn(process.execPath, [SOURCE_CONDITION, '--import', TSX_LOADER, MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  // A test runner that dies must not leave services behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    });
    child.once('error', (err) => {
      out += `\nspawn failed: ${err.message}\n`;
      resolve(null);
    });
  });

  return {
    process: child,
    pid: child.pid ?? -1,
    exited,
    output: () => out,
    waitFor(text, timeoutMs = 30_000) {
      // Strings are searched only in what arrived since the last look: a busy service prints megabytes.
      let scanned = 0;
      const matches = () => {
        if (typeof text !== 'string') return text.test(out);
        const found = out.indexOf(text, Math.max(0, scanned - text.length)) >= 0;
        scanned = out.length;
        return found;
      };
      if (matches()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`child did not print ${String(text)} within ${timeoutMs} ms; output:\n${out.slice(-4000)}`));
        }, timeoutMs);
        const check = () => {
          if (matches()) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        void exited.then((code) => {
          if (!matches() && listeners.has(check)) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`child exited (${code}) before printing ${String(text)}; output:\n${out.slice(-4000)}`));
          }
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
