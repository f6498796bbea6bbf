// Makes a Google service-account key file (as the Firebase console downloads it) with a fresh RSA key.
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import type { ServiceAccount } from '@pushwire/core';

export interface CreatedServiceAccount {
  /** The key file's content, with `token_uri` pointing where the caller said. */
  json: ServiceAccount;
  /** The public half (PEM, SPKI), for `FcmEmulator.addServiceAccount`. */
  publicKeyPem: string;
}

export function createServiceAccount(options: { projectId: string; tokenUri: string }): CreatedServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const suffix = randomBytes(3).toString('hex').slice(0, 5);
  const clientEmail = `firebase-adminsdk-${suffix}@${options.projectId}.iam.gserviceaccount.com`;
  const clientId = String(randomInt(1e9, 2 ** 47)) + String(randomInt(1e6, 1e7));
  const json: ServiceAccount = {
    type: 'service_account',
    project_id: options.projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: clientId,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: options.tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
  return { json, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
