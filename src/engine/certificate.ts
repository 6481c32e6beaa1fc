/**
 * Client certificates (.pfx / PKCS#12). Node's crypto cannot open PKCS#12, so node-forge reads it; the
 * result is what MSAL's `clientCertificate` needs: the private key (PEM), the SHA-256 thumbprint of the
 * leaf certificate (MSAL then signs the client assertion with PS256) and, optionally, the x5c chain.
 */
import type forge from 'node-forge';
import { createHash } from 'node:crypto';
import { formatMessage, msg, type Message } from '../model/messages';

/**
 * node-forge is about a third of the extension's bundle. Its module code runs on first use (its bytes
 * stay in the bundle), so only a certificate connection, or a certificate entered in the form, pays for
 * initializing it, not every activation.
 */
let forgeModule: typeof forge | undefined;
function loadForge(): typeof forge {
  if (!forgeModule) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require('node-forge') as typeof forge;
    guardKeyDerivations(lib);
    forgeModule = lib;
  }
  return forgeModule;
}

/**
 * Caps on the key derivation work a .pfx may ask for. Every PKCS#12 key (the MAC key, and the key of
 * each encrypted part: the certificates, each private key) is derived with the file's own iteration
 * count, and node-forge derives in JavaScript on the extension host's only thread (measured: about
 * 10 µs an iteration for PBKDF2-HMAC-SHA256, the algorithm OpenSSL 3 writes; 1.5 µs for the PKCS#12
 * KDF). What common tools write: OpenSSL 3 2048 (PKCS12_DEFAULT_ITER), Windows and .NET 2000, Java's
 * keytool 10,000 (keystore.pkcs12.*IterationCount). .NET 9's own loader refuses more than 300,000 per
 * derivation and 1,000,000 in all (Pkcs12LoaderLimits). 100,000 per count is ten times the highest
 * default above and keeps one derivation near a second; 300,000 in all is three such derivations, so a
 * file cannot make up for the per-count cap with many encrypted parts.
 */
export const MAX_PFX_ITERATIONS = 100_000;
export const MAX_PFX_TOTAL_ITERATIONS = 300_000;

const OID_PBES2 = '1.2.840.113549.1.5.13';

/** Counts the iterations of one .pfx as it is opened; refuses past the caps, before deriving. */
class IterationBudget {
  #total = 0;
  spend(count: number): void {
    this.#total += count;
    if (count > MAX_PFX_ITERATIONS || this.#total > MAX_PFX_TOTAL_ITERATIONS) {
      const [asked, max] =
        count > MAX_PFX_ITERATIONS ? [count, MAX_PFX_ITERATIONS] : [this.#total, MAX_PFX_TOTAL_ITERATIONS];
      throw new CertificateError(
        msg(
          "The .pfx asks for {count} key derivation iterations, more than the {max} this extension accepts (they would stall VS Code). Export it again with your tool's default settings (OpenSSL, Windows and Java use 2,000 to 10,000).",
          { count: asked, max },
        ),
        'tooManyIterations',
      );
    }
  }
}

/** The budget of the .pfx being opened; set only while `parsePfx` runs (it is synchronous). */
let budget: IterationBudget | undefined;

/**
 * node-forge decrypts each encrypted part through `pki.pbe.getCipher(oid, params, password)`, also the
 * private keys it finds only after decrypting an outer part. Reading the count from those ASN.1
 * parameters there, before the key is derived, covers every part however deeply it is nested.
 */
function guardKeyDerivations(lib: typeof forge): void {
  const pbe = (
    lib.pki as unknown as { pbe: { getCipher: (oid: string, params: forge.asn1.Asn1, password: string) => unknown } }
  ).pbe;
  const getCipher = pbe.getCipher;
  pbe.getCipher = (oid, params, password) => {
    budget?.spend(pbeIterations(lib, oid, params));
    return getCipher(oid, params, password);
  };
}

/**
 * The iteration count in PBE parameters: PBES2 (RFC 8018) `{ keyDerivationFunc { pbkdf2, { salt,
 * iterationCount, … } }, encryptionScheme }`, PKCS#12 PBE (RFC 7292 appendix C) `{ salt, iterations }`.
 * Parameters of another shape count as 0 here; node-forge refuses them itself.
 */
function pbeIterations(lib: typeof forge, oid: string, params: forge.asn1.Asn1): number {
  const at = (node: forge.asn1.Asn1 | undefined, i: number) => (Array.isArray(node?.value) ? node.value[i] : undefined);
  const count = oid === OID_PBES2 ? at(at(at(params, 0), 1), 1) : at(params, 1);
  return count ? integerValue(lib, count) : 0;
}

/** A DER INTEGER as a number; anything longer than 6 bytes (or negative) is "huge" (above any cap). */
function integerValue(lib: typeof forge, node: forge.asn1.Asn1): number {
  if (node.type !== lib.asn1.Type.INTEGER || typeof node.value !== 'string') {
    return 0;
  }
  const bytes = node.value;
  if (bytes.length > 6 || (bytes.length > 0 && bytes.charCodeAt(0) & 0x80)) {
    return Number.MAX_SAFE_INTEGER;
  }
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    value = value * 256 + bytes.charCodeAt(i);
  }
  return value;
}

/** PFX `{ version, authSafe, macData { mac, macSalt, iterations DEFAULT 1 } }` (RFC 7292 §4): the MAC's count. */
function macIterations(lib: typeof forge, pfx: forge.asn1.Asn1): number {
  const macData = Array.isArray(pfx.value) ? pfx.value[2] : undefined;
  const iterations = Array.isArray(macData?.value) ? macData.value[2] : undefined;
  return iterations ? integerValue(lib, iterations) : macData ? 1 : 0;
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
    /** The template and its arguments, for the form to translate (src/model/validate.ts). */
    readonly userMessage: Message,
    readonly reason:
      | 'notBase64'
      | 'notPkcs12'
      | 'wrongPassword'
      | 'noPrivateKey'
      | 'noCertificate'
      | 'keyMismatch'
      | 'tooManyIterations',
  ) {
    super(formatMessage(userMessage));
  }
}

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;

/** Opens a base64 .pfx with its password. Throws `CertificateError` with a sentence a user can act on. */
export function parsePfx(pfxBase64: string, password: string): ParsedCertificate {
  const text = pfxBase64.trim();
  if (!text || !BASE64.test(text)) {
    throw new CertificateError(
      msg('The certificate is not base64 text. Paste the .pfx file as base64, or pick the file.'),
      'notBase64',
    );
  }
  const der = Buffer.from(text, 'base64');
  const lib = loadForge();
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = lib.asn1.fromDer(lib.util.createBuffer(der.toString('binary')));
  } catch {
    throw new CertificateError(msg('The certificate is not a .pfx (PKCS#12) file.'), 'notPkcs12');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  const parseBudget = new IterationBudget();
  try {
    // The MAC key is the first key node-forge derives: its count is read before anything else.
    parseBudget.spend(macIterations(lib, asn1));
    budget = parseBudget;
    p12 = lib.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    if (err instanceof CertificateError) {
      throw err;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (/password|MAC|Invalid/i.test(message)) {
      throw new CertificateError(msg('The certificate password is wrong.'), 'wrongPassword');
    }
    throw new CertificateError(msg('The certificate is not a .pfx (PKCS#12) file.'), 'notPkcs12');
  } finally {
    budget = undefined;
  }

  const keyBags = [
    ...(p12.getBags({ bagType: lib.pki.oids.pkcs8ShroudedKeyBag })[lib.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: lib.pki.oids.keyBag })[lib.pki.oids.keyBag] ?? []),
  ];
  const key = keyBags.find((b) => b.key)?.key;
  if (!key) {
    throw new CertificateError(msg('The .pfx holds no private key. Export it with the private key.'), 'noPrivateKey');
  }
  const certs = (p12.getBags({ bagType: lib.pki.oids.certBag })[lib.pki.oids.certBag] ?? [])
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
  if (certs.length === 0) {
    throw new CertificateError(msg('The .pfx holds no certificate.'), 'noCertificate');
  }
  // The leaf is the certificate whose public key matches the private key.
  const leaf = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n && pub.n.equals(key.n) && pub.e.equals(key.e);
  });
  if (!leaf) {
    throw new CertificateError(msg('The private key in the .pfx does not belong to its certificate.'), 'keyMismatch');
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

/**
 * Opened certificates per connection, so a .pfx is parsed once per stored version, not at every client
 * build. The version is a SHA-256 of the stored .pfx and password: a new certificate or password is a
 * new version and replaces the entry.
 */
export class CertificateCache {
  readonly #entries = new Map<string, { version: string; certificate: ParsedCertificate }>();

  constructor(private readonly parse: (pfxBase64: string, password: string) => ParsedCertificate = parsePfx) {}

  open(connectionId: string, pfxBase64: string, password: string): ParsedCertificate {
    const version = createHash('sha256').update(pfxBase64).update('\0').update(password).digest('hex');
    const entry = this.#entries.get(connectionId);
    if (entry?.version === version) {
      return entry.certificate;
    }
    this.#entries.delete(connectionId);
    const certificate = this.parse(pfxBase64, password);
    this.#entries.set(connectionId, { version, certificate });
    return certificate;
  }

  /** Drops a connection's entry (deleted, or its secrets changed). */
  forget(connectionId: string): void {
    this.#entries.delete(connectionId);
  }
}
