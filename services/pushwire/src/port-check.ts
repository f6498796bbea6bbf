// Is the API port free? Asked before anything is started or written, so a second start stops with one clear
// line instead of EADDRINUSE after its emulators, workers and config files already exist.
import { createServer } from 'node:net';
import { AlreadyRunningError } from './sandbox-lock.js';

/** What `GET /` answers on Pushwire (and on Sylk Pushserver). */
const HOME_ANSWER = '"Welcome to sylk-push server"';

/** Throws {@link AlreadyRunningError} when host:port cannot be listened on because something already does. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const inUse = await new Promise<boolean>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(true) : reject(error),
    );
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(false)));
  });
  if (!inUse) return;
  const url = `http://${probeHost(host)}:${port}/`;
  if (await answersAsPushwire(url)) {
    throw new AlreadyRunningError(
      `Pushwire is already listening on ${port} (${url}): stop it first, or choose another --port`,
    );
  }
  throw new AlreadyRunningError(
    `${host}:${port} is already in use by another program: stop it, or choose another --port`,
  );
}

/** A wildcard listen address is reached on loopback. */
function probeHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

async function answersAsPushwire(url: string): Promise<boolean> {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return (await answer.text()).trim() === HOME_ANSWER;
  } catch {
    return false;
  }
}
