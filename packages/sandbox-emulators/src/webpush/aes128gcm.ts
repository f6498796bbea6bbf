// RFC 8291 (Web Push message encryption) over RFC 8188 (aes128gcm), the user agent's side: written from the
// RFCs with node:crypto, independently of the library Pushwire encrypts with, so the two check each other.
import { createDecipheriv, createECDH, createHmac, type ECDH } from 'node:crypto';

const HEADER_MIN = 21; // salt (16) + rs (4) + idlen (1)
const TAG_BYTES = 16;

function hmac(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** HKDF-Expand for one block (every length RFC 8291 needs is ≤ 32). */
function hkdf(salt: Buffer, ikm: Buffer, info: Buffer, length: number): Buffer {
  const prk = hmac(salt, ikm);
  return hmac(prk, Buffer.concat([info, Buffer.from([1])])).subarray(0, length);
}

export class DecryptError extends Error {
  override name = 'DecryptError';
}

/** The user agent's keys of one subscription: its ECDH pair (P-256) and the 16-byte auth secret. */
export interface UaKeys {
  ecdh: ECDH;
  auth: Buffer;
}

export function uaKeysFrom(privateKey: Buffer, auth: Buffer): UaKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return { ecdh, auth };
}

/** Decrypts one aes128gcm body (a single record, as Web Push sends) to its plaintext; throws DecryptError. */
export function decryptAes128gcm(body: Buffer, keys: UaKeys): Buffer {
  if (body.length < HEADER_MIN + TAG_BYTES)
    throw new DecryptError(`body of ${body.length} bytes is shorter than an aes128gcm header and tag`);
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  if (idlen !== 65)
    throw new DecryptError(`keyid must be the sender's 65-byte public key (RFC 8291 §4), got ${idlen} bytes`);
  const asPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (rs < 18 || record.length > rs)
    throw new DecryptError(`one record of ${record.length} bytes does not fit rs ${rs}`);

  let secret: Buffer;
  try {
    secret = keys.ecdh.computeSecret(asPublic);
  } catch {
    throw new DecryptError('the keyid is not a P-256 public key');
  }
  const uaPublic = keys.ecdh.getPublicKey();
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = hkdf(keys.auth, secret, keyInfo, 32);
  const cek = hkdf(salt, ikm, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdf(salt, ikm, Buffer.from('Content-Encoding: nonce\0'), 12);

  let padded: Buffer;
  try {
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
    padded = Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptError("authentication failed: the payload was not encrypted to this subscription's keys");
  }
  // RFC 8188 §2: the last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (end < 0 || padded[end] !== 2) throw new DecryptError('the last record lacks the 0x02 padding delimiter');
  return padded.subarray(0, end);
}
