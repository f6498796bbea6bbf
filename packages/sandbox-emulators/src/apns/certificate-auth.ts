// Certificate-based auth: what the connection's client certificate allows, decided once per connection.
import type { TLSSocket } from 'node:tls';

export type ConnectionCertificate =
  | { kind: 'none' }
  /** A certificate was presented but does not chain to the emulator's client CA. */
  | { kind: 'untrusted'; subject: string }
  | { kind: 'trusted'; uid: string | null; subject: string; topics: readonly string[] };

/**
 * The topics a push certificate allows: Apple puts the bundle id in the subject's UID
 * (OID 0.9.2342.19200300.100.1.1), and a certificate for it may also push VoIP and watch complications.
 */
export function topicsForBundle(uid: string): string[] {
  return [uid, `${uid}.voip`, `${uid}.complication`];
}

export function inspectClientCertificate(socket: TLSSocket): ConnectionCertificate {
  const x509 = socket.getPeerX509Certificate();
  if (x509 === undefined) return { kind: 'none' };
  if (!socket.authorized) return { kind: 'untrusted', subject: x509.subject };
  // OpenSSL names the UID attribute "UID"; it appears once per line in the subject.
  const uidLine = x509.subject.split('\n').find((line) => line.startsWith('UID='));
  const uid = uidLine === undefined ? null : uidLine.slice('UID='.length);
  return { kind: 'trusted', uid, subject: x509.subject, topics: uid === null ? [] : topicsForBundle(uid) };
}
