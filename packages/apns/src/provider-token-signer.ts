// Signs APNs provider tokens (ES256 JWT, Apple's "Establishing a token-based connection to APNs").
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/** Holds the parsed .p8 key of one (team id, key id); throws at construction on a key APNs cannot accept. */
export class ProviderTokenSigner {
  private readonly key: KeyObject;

  constructor(
    readonly teamId: string,
    readonly keyId: string,
    keyPem: string,
  ) {
    if (teamId === '' || keyId === '') throw new TypeError('APNs token auth needs a team id and a key id');
    let key: KeyObject;
    try {
      key = createPrivateKey(keyPem);
    } catch (error) {
      throw new TypeError(`APNs signing key ${keyId} is not a readable private key: ${(error as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new TypeError(`APNs signing key ${keyId} must be an EC P-256 key (ES256), as Apple issues them`);
    }
    this.key = key;
  }

  /** @param iatSeconds issued-at, whole seconds since the epoch. */
  sign(iatSeconds: number): Promise<string> {
    // Apple reads only alg, kid, iss and iat; anything more is ignored, so keep the token minimal.
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.keyId })
      .setIssuer(this.teamId)
      .setIssuedAt(iatSeconds)
      .sign(this.key);
  }
}
