/**
 * Client certificates (.pfx / PKCS#12). Node's crypto cannot open PKCS#12, so node-forge reads it; the
 * result is what MSAL's `clientCertificate` needs: the private key (PEM), the SHA-256 thumbprint of the
 * leaf certificate (MSAL then signs the client assertion with PS256) and, optionally, the x5c chain.
 */
import type forge from 'node-forge';
import { createHash } from 'node:crypto';

/**
 * node-forge is about a third of the extension's bundle. Its module code runs on first use (its bytes
 * stay in the bundle), so only a certificate connection, or a certificate entered in the form, pays for
 * initializing it, not every activation.
 */
let forgeModule: typeof forge | undefined;
function loadForge(): typeof forge {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (forgeModule ??= require('node-forge') as typeof forge);
}

export interface ParsedCertificate {
  privateKeyPem: string;
  /** The leaf certificate, PEM. */
  certificatePem: string;
  /** The leaf first, then the rest of the chain, each PEM (MSAL's x5c takes PEM). */
  chainPem: string[];
  thumbprintSha256: string;
  thumbprintSha1: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export class CertificateError extends Error {
  constructor(
    message: string,
    readonly reason: 'notBase64' | 'notPkcs12' | 'wrongPassword' | 'noPrivateKey' | 'noCertificate' | 'keyMismatch',
  ) {
    super(message);
  }
}

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;

/** Opens a base64 .pfx with its password. Throws `CertificateError` with a sentence a user can act on. */
export function parsePfx(pfxBase64: string, password: string): ParsedCertificate {
  const text = pfxBase64.trim();
  if (!text || !BASE64.test(text)) {
    throw new CertificateError('The certificate is not base64 text. Paste the .pfx file as base64, or pick the file.', 'notBase64');
  }
  const der = Buffer.from(text, 'base64');
  const lib = loadForge();
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = lib.asn1.fromDer(lib.util.createBuffer(der.toString('binary')));
  } catch {
    throw new CertificateError('The certificate is not a .pfx (PKCS#12) file.', 'notPkcs12');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = lib.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/password|MAC|Invalid/i.test(message)) {
      throw new CertificateError('The certificate password is wrong.', 'wrongPassword');
    }
    throw new CertificateError('The certificate is not a .pfx (PKCS#12) file.', 'notPkcs12');
  }

  const keyBags = [
    ...(p12.getBags({ bagType: lib.pki.oids.pkcs8ShroudedKeyBag })[lib.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: lib.pki.oids.keyBag })[lib.pki.oids.keyBag] ?? []),
  ];
  const key = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) {
    throw new CertificateError('The .pfx holds no private key. Export it with the private key.', 'noPrivateKey');
  }
  const certs = (p12.getBags({ bagType: lib.pki.oids.certBag })[lib.pki.oids.certBag] ?? [])
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
  if (certs.length === 0) {
    throw new CertificateError('The .pfx holds no certificate.', 'noCertificate');
  }
  // The leaf is the certificate whose public key matches the private key.
  const leaf = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n && pub.n.equals(key.n) && pub.e.equals(key.e);
  });
  if (!leaf) {
    throw new CertificateError('The private key in the .pfx does not belong to its certificate.', 'keyMismatch');
  }
  const leafDer = Buffer.from(lib.asn1.toDer(lib.pki.certificateToAsn1(leaf)).getBytes(), 'binary');
  const others = certs.filter((c) => c !== leaf);
  return {
    privateKeyPem: lib.pki.privateKeyToPem(key),
    certificatePem: lib.pki.certificateToPem(leaf),
    chainPem: [leaf, ...others].map((c) => lib.pki.certificateToPem(c)),
    thumbprintSha256: createHash('sha256').update(leafDer).digest('hex').toUpperCase(),
    thumbprintSha1: createHash('sha1').update(leafDer).digest('hex').toUpperCase(),
    subject: leaf.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', '),
    notBefore: leaf.validity.notBefore,
    notAfter: leaf.validity.notAfter,
  };
}
