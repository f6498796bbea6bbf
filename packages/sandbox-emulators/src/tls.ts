// A private certificate authority for the emulators: server certificates valid for 127.0.0.1/localhost
// and client certificates (APNs certificate auth). RSA keys come from node:crypto (fast); node-forge
// only assembles and signs the X.509 structures, which node:crypto cannot do.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface Pem {
  cert: string;
  key: string;
}

export interface TestCa extends Pem {
  /** Server certificate for 127.0.0.1, ::1 and localhost, signed by this CA. */
  issueServer(commonName?: string): Pem;
  /** Client certificate; `uid` is where Apple puts the bundle id (topic) of a push certificate. */
  issueClient(subject: { commonName: string; uid?: string }): Pem;
}

function rsaKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function baseCert(publicPem: string, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  return cert;
}

export function createTestCa(name = 'Pushwire Test CA'): TestCa {
  const caKeys = rsaKeyPair();
  const caKey = forge.pki.privateKeyFromPem(caKeys.privatePem);
  const caCert = baseCert(caKeys.publicPem, 3650);
  const caSubject = [{ name: 'commonName', value: name }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(caKey, forge.md.sha256.create());

  const issue = (attrs: forge.pki.CertificateField[], extensions: object[]): Pem => {
    const keys = rsaKeyPair();
    const cert = baseCert(keys.publicPem, 825);
    cert.setSubject(attrs);
    cert.setIssuer(caSubject);
    cert.setExtensions([{ name: 'basicConstraints', cA: false }, ...extensions]);
    cert.sign(caKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key: keys.privatePem };
  };

  return {
    cert: forge.pki.certificateToPem(caCert),
    key: caKeys.privatePem,
    issueServer(commonName = 'localhost') {
      return issue(
        [{ name: 'commonName', value: commonName }],
        [
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: [
              { type: 2, value: 'localhost' },
              { type: 7, ip: '127.0.0.1' },
              { type: 7, ip: '::1' },
            ],
          },
        ],
      );
    },
    issueClient({ commonName, uid }) {
      const attrs: forge.pki.CertificateField[] = [{ name: 'commonName', value: commonName }];
      // OID 0.9.2342.19200300.100.1.1 (UID): Apple's push certificates carry the topic there.
      if (uid) attrs.push({ type: '0.9.2342.19200300.100.1.1', value: uid });
      return issue(attrs, [
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ]);
    },
  };
}
