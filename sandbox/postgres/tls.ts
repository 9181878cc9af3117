import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, chown, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';

// PostgreSQL's TLS in the sandbox and the tests: a CA made at start and a
// server certificate it signs for the loopback names, so clients check the
// server as they would check RDS (verify-full against a CA bundle). Node's
// crypto makes the keys but signs no X.509 certificate; node-forge does.

/** A CA's certificate and the server certificate and key it signed, PEM. */
export interface ServerTls {
  /** What clients trust: the CA's certificate. */
  readonly ca: string;
  readonly certificate: string;
  readonly key: string;
}

/** The names the sandbox's server answers on. */
export const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost'];

// Long enough for a sandbox left running; the certificates die with the server.
const VALID_DAYS = 30;

/** A fresh CA, and a server certificate it signs for `names` (IP addresses or DNS names). */
export function makeServerTls(names: readonly string[] = LOOPBACK_NAMES): ServerTls {
  const caKeys = rsaKeys();
  const ca = certificate({
    subject: 'release-automation sandbox PostgreSQL CA',
    publicKey: caKeys.publicKey,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = rsaKeys();
  const server = certificate({
    subject: names[0] ?? 'localhost',
    publicKey: serverKeys.publicKey,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        // 7: iPAddress, 2: dNSName (RFC 5280 GeneralName).
        altNames: names.map((name) => (/^[\d.]+$|:/.test(name) ? { type: 7, ip: name } : { type: 2, value: name })),
      },
    ],
  });
  server.setIssuer(ca.subject.attributes);
  server.sign(caKeys.privateKey, forge.md.sha256.create());
  return {
    ca: forge.pki.certificateToPem(ca),
    certificate: forge.pki.certificateToPem(server),
    key: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}

/** PostgreSQL settings that serve `installServerTls`'s files. */
export const TLS_FLAGS: readonly string[] = [
  '-c',
  'ssl=on',
  '-c',
  'ssl_cert_file=server.crt',
  '-c',
  'ssl_key_file=server.key',
];

/**
 * Writes the server certificate and key into an initialised data directory,
 * owned as the directory is: PostgreSQL refuses a key readable by others, or
 * not owned by the user it runs as (`postgres` when started as root).
 */
export async function installServerTls(dataDir: string, tls: ServerTls): Promise<void> {
  const { uid, gid } = await stat(dataDir);
  const files = [
    ['server.crt', tls.certificate, 0o644],
    ['server.key', tls.key, 0o600],
  ] as const;
  for (const [name, content, mode] of files) {
    const file = join(dataDir, name);
    await writeFile(file, content, { mode });
    // writeFile's mode is masked by the umask and ignored for an existing file.
    await chmod(file, mode);
    await chown(file, uid, gid);
  }
}

type Extension = Record<string, unknown> & { name: string };

function certificate(options: { subject: string; publicKey: forge.pki.rsa.PublicKey; extensions: Extension[] }) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  // Positive (a leading zero nibble) and unique, as RFC 5280 asks.
  cert.serialNumber = `0${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + VALID_DAYS * 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: options.subject }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions(options.extensions);
  return cert;
}

// Node makes the keys (forge's own RSA key generation is pure JavaScript and slow).
function rsaKeys(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
  };
}
