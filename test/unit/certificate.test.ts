// .pfx iteration caps and parse-once (issue 9, item 11). The files are written at test time by
// node-forge with the iteration count each case needs, around one key and certificate.
import * as assert from 'node:assert/strict';
import forge from 'node-forge';
import { CertificateCache, CertificateError, MAX_PFX_ITERATIONS, parsePfx } from '../../src/engine/certificate';
import type { ClientCertificateConnection } from '../../src/model/connection';
import { resolveEnvironment } from '../../src/model/clouds';
import { formatMessage } from '../../src/model/messages';
import { createMsalApp } from '../../src/engine/msalApp';
import { Secret } from '../../src/model/secret';
import { MemoryTokenCacheStore } from '../../src/engine/tokenCache';
import { validateDraft, emptyDraft } from '../../src/model/validate';
import { makeClientCertificate } from '../sandbox/certs';

const PASSWORD = 'pfx-password';
const made = makeClientCertificate({ commonName: 'pfx', password: PASSWORD });

/** The same key and certificate as a .pfx written with node-forge's `options` (count, algorithm, MAC). */
function writePfx(options: { algorithm: 'aes256' | '3des'; count: number; useMac?: boolean }): string {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(made.keyPem),
    [forge.pki.certificateFromPem(made.certPem)],
    PASSWORD,
    options,
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary').toString('base64');
}

function refusal(run: () => unknown): { error: CertificateError; ms: number } {
  const started = performance.now();
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof CertificateError, String(error));
    return { error, ms: performance.now() - started };
  }
  assert.fail('the .pfx was accepted');
}

describe('.pfx iteration counts', function () {
  // Writing a .pfx with a high count costs the writer what it would cost us to read it.
  this.timeout(60_000);

  it('accepts what common tools write: 2048 (OpenSSL 3, 3DES and AES-256) and 10,000 (Java)', () => {
    for (const options of [
      { algorithm: '3des', count: 2048 },
      { algorithm: 'aes256', count: 2048 },
      { algorithm: 'aes256', count: 10_000 },
    ] as const) {
      assert.equal(parsePfx(writePfx(options), PASSWORD).thumbprintSha256, made.thumbprintSha256Hex);
    }
  });

  it('refuses a MAC and key count of 120,000 before deriving anything, with a message on the certificate field', () => {
    const pfx = writePfx({ algorithm: '3des', count: 120_000 });
    const { error, ms } = refusal(() => parsePfx(pfx, PASSWORD));
    assert.equal(error.reason, 'tooManyIterations');
    assert.match(error.message, /asks for 120000 key derivation iterations, more than the 100000/);
    // Deriving the MAC key alone takes ~200 ms here; refused from the ASN.1 it is a few ms.
    assert.ok(ms < 150, `took ${Math.round(ms)} ms`);
    const result = validateDraft(
      {
        ...emptyDraft(),
        name: 'c',
        authType: 'clientCertificate',
        clientId: '11111111-2222-3333-4444-555555555555',
        tenant: 'contoso.com',
        account: 'a@contoso.com',
        certificate: pfx,
        certificatePassword: PASSWORD,
      },
      { openCertificate: parsePfx },
    );
    assert.ok(!result.ok);
    assert.match(formatMessage(result.errors.certificate!), /120000 key derivation iterations/);
    assert.equal(result.errors.certificatePassword, undefined);
  });

  it('refuses an encrypted key of 120,000 iterations in a file without MAC, before deriving its key', () => {
    const pfx = writePfx({ algorithm: '3des', count: 120_000, useMac: false });
    const { error, ms } = refusal(() => parsePfx(pfx, PASSWORD));
    assert.equal(error.reason, 'tooManyIterations');
    // Deriving the 3DES key and IV would take ~400 ms here.
    assert.ok(ms < 150, `took ${Math.round(ms)} ms`);
  });

  it('refuses many encrypted parts each under the cap once they add up past the total', () => {
    // The same encrypted key four times in the AuthenticatedSafe: 4 × 100,000 > 300,000.
    const written = writePfx({ algorithm: '3des', count: MAX_PFX_ITERATIONS, useMac: false });
    const pfx = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(written, 'base64').toString('binary')));
    const authSafe = (pfx.value as forge.asn1.Asn1[])[1];
    const octets = ((authSafe.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0];
    const safe = forge.asn1.fromDer(forge.util.createBuffer(octets.value as string));
    const parts = safe.value as forge.asn1.Asn1[];
    safe.value = [...parts, ...parts.slice(1), ...parts.slice(1), ...parts.slice(1)];
    octets.value = forge.asn1.toDer(safe).getBytes();
    const tampered = Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary').toString('base64');
    const { error } = refusal(() => parsePfx(tampered, PASSWORD));
    assert.equal(error.reason, 'tooManyIterations');
    assert.match(error.message, /asks for 400000 key derivation iterations, more than the 300000/);
  });
});

describe('.pfx parsed once per connection version', () => {
  const config: ClientCertificateConnection = {
    id: 'cert-connection',
    name: 'cert',
    authType: 'clientCertificate',
    environment: 'global',
    tenant: 'contoso.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    account: 'a@contoso.com',
    certificateThumbprint: made.thumbprintSha256Hex,
    sendX5c: false,
  };

  it('two client builds parse the .pfx once; a new certificate or password parses again', () => {
    let parses = 0;
    const cache = new CertificateCache((pfx, password) => {
      parses++;
      return parsePfx(pfx, password);
    });
    const build = (pfx: string, password: string) =>
      createMsalApp({
        config,
        environment: resolveEnvironment('global'),
        secrets: { certificate: new Secret(pfx), certificatePassword: new Secret(password) },
        cacheStore: new MemoryTokenCacheStore(),
        openCertificate: (p, pw) => cache.open(config.id, p, pw),
      });
    assert.equal(build(made.pfxBase64, PASSWORD).kind, 'confidential');
    build(made.pfxBase64, PASSWORD);
    assert.equal(parses, 1, 'the second client build reused the parsed certificate');

    const renewed = writePfx({ algorithm: 'aes256', count: 2048 });
    build(renewed, PASSWORD);
    assert.equal(parses, 2, 'a new certificate is a new version');
    build(renewed, PASSWORD);
    assert.equal(parses, 2);

    cache.forget(config.id);
    build(renewed, PASSWORD);
    assert.equal(parses, 3, 'forgotten (deleted) connections parse again');
  });

  it('a refused .pfx is not cached: the error comes back each time', () => {
    const cache = new CertificateCache();
    assert.throws(() => cache.open('x', made.pfxBase64, 'wrong'), /password is wrong/);
    assert.throws(() => cache.open('x', made.pfxBase64, 'wrong'), /password is wrong/);
    assert.equal(cache.open('x', made.pfxBase64, PASSWORD).thumbprintSha256, made.thumbprintSha256Hex);
  });
});
