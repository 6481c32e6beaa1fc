// Certificate and client secret expiry: the model, the statuses it leads to and the form's validation.
import * as assert from 'node:assert/strict';
import { computeStatus } from '../../src/engine/status';
import { parsePfx } from '../../src/engine/certificate';
import { statusOf } from '../../src/connections/facts';
import type { ClientCertificateConnection, ClientCredentialsConnection } from '../../src/model/connection';
import {
  certificateRefusal,
  credentialState,
  credentialValidity,
  daysLeft,
  formatThumbprint,
  isCalendarDay,
} from '../../src/model/credentialExpiry';
import { formatMessage } from '../../src/model/messages';
import { draftFromConfig, emptyDraft, validateDraft, type ConnectionDraft } from '../../src/model/validate';
import { makeClientCertificate } from '../sandbox/certs';

const DAY = 24 * 3600 * 1000;
const now = new Date('2026-11-30T12:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * DAY);

describe('certificate and secret expiry', function () {
  this.timeout(20_000);

  it('states: valid, expires soon within 30 days, expired, not yet valid', () => {
    const cert = (notBefore: Date, notAfter: Date) => ({ kind: 'certificate' as const, notBefore, notAfter });
    assert.equal(credentialState(cert(inDays(-1), inDays(31)), now), 'valid');
    assert.equal(credentialState(cert(inDays(-1), inDays(30)), now), 'expiresSoon');
    assert.equal(credentialState(cert(inDays(-1), inDays(10)), now), 'expiresSoon');
    assert.equal(credentialState(cert(inDays(-10), inDays(-1)), now), 'expired');
    assert.equal(credentialState(cert(inDays(1), inDays(100)), now), 'notYetValid');
    assert.equal(daysLeft(cert(inDays(-1), inDays(9.2)), now), 10);
  });

  it('refuses an expired and a not yet valid certificate with a sentence', () => {
    assert.equal(certificateRefusal({ notAfter: inDays(10) }, now), undefined);
    assert.match(formatMessage(certificateRefusal({ notAfter: inDays(-3) }, now)!), /expired on 2026-11-27/);
    assert.match(
      formatMessage(certificateRefusal({ notBefore: inDays(2), notAfter: inDays(30) }, now)!),
      /not valid before 2026-12-02/,
    );
  });

  it('statuses: expires soon (amber) after a failure-free sign-in; expired wins over anything', () => {
    const soon = { signedIn: true, expiresOn: inDays(0.03), credential: 'expiresSoon' as const };
    assert.equal(computeStatus(soon, now), 'credentialExpiring');
    assert.equal(computeStatus({ ...soon, signedIn: false }, now), 'notSignedIn');
    assert.equal(computeStatus({ ...soon, failure: 'reconnectRequired' }, now), 'reconnectRequired');
    assert.equal(computeStatus({ signedIn: true, failure: 'error', credential: 'expired' }, now), 'credentialExpired');
    assert.equal(computeStatus({ signedIn: false, credential: 'notYetValid' }, now), 'credentialExpired');
    assert.equal(computeStatus({ signedIn: true, expiresOn: inDays(0.03), credential: 'valid' }, now), 'valid');
  });

  it('statusOf reads the validity from the configuration: a certificate and a secret date', () => {
    const facts = { signedIn: true, expiresOn: inDays(0.03).toISOString() };
    const cert: ClientCertificateConnection = {
      id: 'c',
      name: 'c',
      authType: 'clientCertificate',
      environment: 'global',
      tenant: 'contoso.com',
      clientId: '00000000-0000-4000-8000-000000000001',
      account: 'a@contoso.com',
      certificateThumbprint: 'AB',
      certificateNotAfter: inDays(10).toISOString(),
      sendX5c: false,
    };
    assert.equal(statusOf(facts, now, cert), 'credentialExpiring');
    assert.equal(statusOf(facts, now), 'valid');
    const secret: ClientCredentialsConnection = {
      id: 's',
      name: 's',
      authType: 'clientCredentials',
      environment: 'global',
      tenant: 'contoso.com',
      clientId: '00000000-0000-4000-8000-000000000001',
      account: 'a@contoso.com',
      secretExpiresOn: '2026-11-29',
    };
    assert.equal(statusOf(facts, now, secret), 'credentialExpired');
    // A secret works through the day it expires on (Entra's end dates are UTC days).
    assert.equal(statusOf(facts, now, { ...secret, secretExpiresOn: '2026-11-30' }), 'credentialExpiring');
    assert.equal(statusOf(facts, now, { ...secret, secretExpiresOn: '2027-11-30' }), 'valid');
    assert.equal(credentialValidity({ ...secret, secretExpiresOn: undefined }), undefined);
  });

  it('thumbprints as AB:CD:…, calendar days only', () => {
    assert.equal(formatThumbprint('ab12cd'), 'AB:12:CD');
    assert.ok(isCalendarDay('2027-02-28'));
    assert.ok(!isCalendarDay('2027-02-30'));
    assert.ok(!isCalendarDay('28.02.2027'));
  });

  describe('the form’s validation', () => {
    const PASSWORD = 'pw';
    const certificateDraft = (pfx: string): ConnectionDraft => ({
      ...emptyDraft(),
      name: 'cert',
      authType: 'clientCertificate',
      tenant: 'contoso.com',
      clientId: '00000000-0000-4000-8000-000000000001',
      account: 'a@contoso.com',
      certificate: pfx,
      certificatePassword: PASSWORD,
    });
    const ctx = { openCertificate: parsePfx, now: new Date() };

    it('a certificate that expires in 10 days is saved with its validity and SHA-1 thumbprint', () => {
      const made = makeClientCertificate({
        commonName: 'ten days',
        password: PASSWORD,
        notAfter: new Date(Date.now() + 10 * DAY),
      });
      const result = validateDraft(certificateDraft(made.pfxBase64), ctx);
      assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
      const config = result.config as ClientCertificateConnection;
      assert.equal(config.certificateThumbprintSha1, made.thumbprintSha1Hex.toUpperCase());
      assert.equal(config.certificateThumbprint, made.thumbprintSha256Hex.toUpperCase());
      assert.ok(config.certificateNotBefore && config.certificateNotAfter);
      assert.equal(credentialState(credentialValidity(config)!, new Date()), 'expiresSoon');
      // No certificate bytes or password in the configuration.
      assert.doesNotMatch(JSON.stringify(config), new RegExp(`${made.pfxBase64.slice(0, 40)}|"${PASSWORD}"`));
    });

    it('an expired and a not yet valid certificate are refused at save', () => {
      const expired = makeClientCertificate({
        commonName: 'expired',
        password: PASSWORD,
        notBefore: new Date(Date.now() - 40 * DAY),
        notAfter: new Date(Date.now() - 2 * DAY),
      });
      const refused = validateDraft(certificateDraft(expired.pfxBase64), ctx);
      assert.ok(!refused.ok);
      assert.match(formatMessage(refused.errors.certificate!), /^The certificate expired on \d{4}-\d{2}-\d{2}\./);
      const future = makeClientCertificate({
        commonName: 'future',
        password: PASSWORD,
        notBefore: new Date(Date.now() + 5 * DAY),
        notAfter: new Date(Date.now() + 400 * DAY),
      });
      const early = validateDraft(certificateDraft(future.pfxBase64), ctx);
      assert.ok(!early.ok);
      assert.match(formatMessage(early.errors.certificate!), /not valid before/);
    });

    const secretDraft = (fields: Partial<ConnectionDraft>): ConnectionDraft => ({
      ...emptyDraft(),
      name: 'secret',
      authType: 'clientCredentials',
      tenant: 'contoso.com',
      clientId: '00000000-0000-4000-8000-000000000001',
      account: 'a@contoso.com',
      clientSecret: 's',
      ...fields,
    });

    it('"secret expires on": stored in the configuration, back in the form on edit; never the secret', () => {
      const result = validateDraft(secretDraft({ secretExpiresOn: '2026-12-20' }), { now });
      assert.ok(result.ok);
      assert.equal((result.config as ClientCredentialsConnection).secretExpiresOn, '2026-12-20');
      assert.equal(draftFromConfig(result.config).secretExpiresOn, '2026-12-20');
      assert.ok(!('clientSecret' in result.config));
      const none = validateDraft(secretDraft({}), { now });
      assert.ok(none.ok && !('secretExpiresOn' in none.config));
    });

    it('"secret expires on": a past day, a day that is no date, and a day without a secret are refused', () => {
      const past = validateDraft(secretDraft({ secretExpiresOn: '2026-11-29' }), { now });
      assert.ok(!past.ok);
      assert.match(formatMessage(past.errors.secretExpiresOn!), /The secret expired on 2026-11-29\./);
      const bad = validateDraft(secretDraft({ secretExpiresOn: '2026-02-30' }), { now });
      assert.ok(!bad.ok && bad.errors.secretExpiresOn);
      const publicClient = validateDraft(
        { ...secretDraft({ secretExpiresOn: '2027-01-01', clientSecret: '' }), authType: 'byoApp', account: '' },
        { now },
      );
      assert.ok(!publicClient.ok);
      assert.match(formatMessage(publicClient.errors.secretExpiresOn!), /Only for a client secret/);
    });
  });
});
