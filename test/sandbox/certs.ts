/**
 * Throwaway certificates for the emulator: a test CA (persisted, so a process can trust it through
 * NODE_EXTRA_CA_CERTS before Node starts), server certificates for 127.0.0.1 / localhost, and client
 * certificates as .pfx for the certificate grant.
 */
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

export interface TestCa {
  caCertPath: string;
  caCertPem: string;
  /** `selfSigned`: signed by its own key, not the CA (an untrusted server); `notAfter`: e.g. in the past. */
  issueServerCert(
    hosts?: string[],
    options?: { selfSigned?: boolean; notAfter?: Date },
  ): { certPem: string; keyPem: string };
}

export function defaultCaDir(): string {
  return process.env.OUTLOOK365_TEST_CA_DIR ?? path.join(homedir(), '.cache', 'outlook365-connections', 'test-ca');
}

/** An RSA key pair from Node's crypto (fast), as node-forge objects. */
function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function serial(): string {
  // Positive, 16 bytes.
  return '01' + randomBytes(15).toString('hex');
}

function makeCert(options: {
  subject: string;
  publicKey: forge.pki.rsa.PublicKey;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  selfKey?: forge.pki.rsa.PrivateKey;
  ca: boolean;
  hosts?: string[];
  notBefore?: Date;
  notAfter?: Date;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + (options.ca ? 3650 : 825) * 24 * 3600 * 1000);
  const attrs = [
    { name: 'commonName', value: options.subject },
    { name: 'organizationName', value: 'Outlook 365 Connections test' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : attrs);
  const extensions: object[] = [{ name: 'basicConstraints', cA: options.ca, critical: true }];
  if (options.ca) {
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  } else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
    extensions.push({ name: 'extKeyUsage', serverAuth: true, clientAuth: true });
  }
  if (options.hosts) {
    extensions.push({
      name: 'subjectAltName',
      altNames: options.hosts.map((h) => (/^\d+\.\d+\.\d+\.\d+$/.test(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    });
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(extensions);
  cert.sign(options.issuer?.key ?? options.selfKey!, forge.md.sha256.create());
  return cert;
}

export function ensureTestCa(dir = defaultCaDir()): TestCa {
  const certPath = path.join(dir, 'ca.pem');
  const keyPath = path.join(dir, 'ca.key');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    const keys = rsaKeys();
    const cert = makeCert({
      subject: 'Outlook 365 Connections test CA',
      publicKey: keys.publicKey,
      selfKey: keys.privateKey,
      ca: true,
    });
    // Written beside, then renamed: a concurrent reader never sees half a CA.
    const suffix = `.${process.pid}.tmp`;
    writeFileSync(keyPath + suffix, forge.pki.privateKeyToPem(keys.privateKey), { mode: 0o600 });
    writeFileSync(certPath + suffix, forge.pki.certificateToPem(cert));
    renameSync(keyPath + suffix, keyPath);
    renameSync(certPath + suffix, certPath);
  }
  chmodSync(keyPath, 0o600);
  const caCertPem = readFileSync(certPath, 'utf8');
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const caKey = forge.pki.privateKeyFromPem(readFileSync(keyPath, 'utf8'));
  return {
    caCertPath: certPath,
    caCertPem,
    issueServerCert(hosts = ['127.0.0.1', 'localhost'], options = {}) {
      const keys = rsaKeys();
      const signer = options.selfSigned ? { selfKey: keys.privateKey } : { issuer: { cert: caCert, key: caKey } };
      const cert = makeCert({
        subject: hosts[0],
        publicKey: keys.publicKey,
        ...signer,
        ca: false,
        hosts,
        notAfter: options.notAfter,
      });
      return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
    },
  };
}

export interface ClientCertificate {
  pfxBase64: string;
  certPem: string;
  keyPem: string;
  thumbprintSha256Hex: string;
  thumbprintSha1Hex: string;
}

/** A client certificate as an app registration would hold it, and its .pfx as a user would upload it. */
export function makeClientCertificate(options: {
  commonName: string;
  password: string;
  withChain?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}): ClientCertificate {
  const leafKeys = rsaKeys();
  let chain: forge.pki.Certificate[] = [];
  let leaf: forge.pki.Certificate;
  if (options.withChain) {
    const issuerKeys = rsaKeys();
    const issuer = makeCert({
      subject: `${options.commonName} issuing CA`,
      publicKey: issuerKeys.publicKey,
      selfKey: issuerKeys.privateKey,
      ca: true,
    });
    leaf = makeCert({
      subject: options.commonName,
      publicKey: leafKeys.publicKey,
      issuer: { cert: issuer, key: issuerKeys.privateKey },
      ca: false,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
    });
    chain = [issuer];
  } else {
    leaf = makeCert({
      subject: options.commonName,
      publicKey: leafKeys.publicKey,
      selfKey: leafKeys.privateKey,
      ca: false,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
    });
  }
  const p12 = forge.pkcs12.toPkcs12Asn1(leafKeys.privateKey, [leaf, ...chain], options.password, { algorithm: '3des' });
  const der = forge.asn1.toDer(p12).getBytes();
  const certPem = forge.pki.certificateToPem(leaf);
  const x509 = new X509Certificate(certPem);
  return {
    pfxBase64: Buffer.from(der, 'binary').toString('base64'),
    certPem,
    keyPem: forge.pki.privateKeyToPem(leafKeys.privateKey),
    thumbprintSha256Hex: x509.fingerprint256.replace(/:/g, ''),
    thumbprintSha1Hex: x509.fingerprint.replace(/:/g, ''),
  };
}
