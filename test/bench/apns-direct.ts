// Baseline B's client (child process): Sylk's call wake-up straight to the APNs emulator over one HTTP/2
// session, as a worker's APNs connection would carry it, with no Pushwire in between.
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { connect, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { sylk } from '@pushwire/apps';
import { SignJWT } from 'jose';
import { v1PushRequest } from './bench-pushes.js';
import { runBounded, type Outcome } from './bounded-run.js';
import { serveBenchCommands } from './child-rpc.js';
import type { LoadRun } from './load-types.js';

export interface ApnsDirectRun extends LoadRun {
  origin: string;
  caPem: string;
  /** The sandbox's `.p8` signing key file, and its team and key ids. */
  keyFile: string;
  teamId: string;
  keyId: string;
}

let session: ClientHttp2Session | null = null;
let jwt: string | null = null;

async function run(command: ApnsDirectRun) {
  if (jwt === null) {
    const key = createPrivateKey(readFileSync(command.keyFile, 'utf8'));
    jwt = await new SignJWT({ iss: command.teamId })
      .setProtectedHeader({ alg: 'ES256', kid: command.keyId })
      .setIssuedAt()
      .sign(key);
  }
  if (session === null) session = await openSession(command.origin, command.caPem);
  const h2 = session;
  const bearer = `bearer ${jwt}`;
  return runBounded(command.count, command.concurrency, 200, (i) => {
    const push = sylk.apple(v1PushRequest(`${command.idPrefix}-${i}`), { now: new Date() });
    const headers: OutgoingHttpHeaders = {
      ...push.headers,
      ':method': 'POST',
      ':path': `/3/device/${push.token}`,
      authorization: bearer,
    };
    return post(h2, headers, JSON.stringify(push.payload));
  });
}

function openSession(origin: string, ca: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = connect(origin, { ca });
    s.once('connect', () => {
      s.off('error', reject);
      s.on('error', () => undefined);
      resolve(s);
    });
    s.once('error', reject);
  });
}

function post(h2: ClientHttp2Session, headers: OutgoingHttpHeaders, body: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const stream = h2.request(headers);
    let status = 0;
    let text = '';
    stream.setEncoding('utf8');
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.on('data', (chunk: string) => (text += chunk));
    let settled = false;
    stream.on('end', () => {
      settled = true;
      resolve({ status, problem: status === 200 ? undefined : text });
    });
    stream.on('error', reject);
    stream.on('close', () => {
      if (!settled) reject(new Error(`stream closed without an answer (code ${stream.rstCode})`));
    });
    stream.end(body);
  });
}

serveBenchCommands(
  (command) => run(command as ApnsDirectRun),
  async () => {
    const s = session;
    if (s && !s.closed) await new Promise<void>((resolve) => s.close(() => resolve()));
  },
);
