/**
 * The sandbox tenant behind `npm start`: the emulator (emulator.ts) seeded with what a person needs to try
 * every auth type of the Add Connection form by hand: users, a shared mailbox, the default public app and
 * one app registration per auth type. Also usable by tests (`startSandboxTenant` / `seedSandboxTenant`).
 *
 * Every value here (passwords, client secrets, the certificate and its password) is a throwaway value of
 * this local sandbox. Client IDs and secrets are fixed, so connections saved in the sandbox's VS Code keep
 * matching across restarts; the client certificate is kept in `dir` for the same reason.
 *
 * `Emulator.reset()` restores the emulator's defaults and drops this seed: call `seedSandboxTenant` again.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeClientCertificate } from './certs';
import { startEmulator, type Emulator, type EmulatorOptions } from './emulator';
import {
  DEFAULT_TENANT,
  DEFAULT_USERS,
  OUTLOOK_DELEGATED,
  PUBLIC_CLIENT_ID,
  SHARED_MAILBOXES,
  type UserSpec,
} from './model';

export interface SandboxUser {
  upn: string;
  password: string;
  displayName: string;
  /** What this user is good for, in a few words. */
  note: string;
}

export interface SandboxApp {
  clientId: string;
  displayName: string;
  note: string;
}

export interface SandboxTenant {
  tenant: { domain: string; id: string };
  loginEndpoint: string;
  graphEndpoint: string;
  /** The plain-HTTP origin of the sign-in pages, or '' when the emulator has none. */
  browserEndpoint: string;
  users: SandboxUser[];
  sharedMailbox: string;
  apps: {
    /** Microsoft Graph Command Line Tools, the default public client (authorization code and ROPC). */
    defaultPublic: SandboxApp;
    /** Bring your own app, public client (no secret): browser or device code. */
    byoPublic: SandboxApp;
    /** Bring your own app, confidential client (with a secret): browser only. */
    byoConfidential: SandboxApp & { clientSecret: string };
    /** Client credentials: application permission Mail.Read. */
    clientCredentials: SandboxApp & { clientSecret: string; account: string };
    /** Client certificate: application permission Mail.Read; the .pfx is in `dir`. */
    clientCertificate: SandboxApp & {
      pfxPath: string;
      pfxBase64Path: string;
      password: string;
      thumbprintSha256: string;
      account: string;
    };
    /** A public app without consent for the Outlook scopes: sign-in ends in `consentRequired`. */
    needsConsent: SandboxApp & { adminConsentUrl: string };
  };
}

export const SANDBOX_TENANT = DEFAULT_TENANT;

const EXTRA_USERS: readonly UserSpec[] = [
  { upn: 'alex@contoso.test', password: 'Passw0rd!alex', displayName: 'Alex Wilber' },
];

const IDS = {
  byoPublic: 'c0de0001-5a0d-4b0c-8000-000000000001',
  byoConfidential: 'c0de0002-5a0d-4b0c-8000-000000000002',
  clientCredentials: 'c0de0003-5a0d-4b0c-8000-000000000003',
  clientCertificate: 'c0de0004-5a0d-4b0c-8000-000000000004',
  needsConsent: 'c0de0005-5a0d-4b0c-8000-000000000005',
} as const;

const CONFIDENTIAL_SECRET = 'sbx8Q~ConfidentialApp.Secret.0002';
const SERVICE_SECRET = 'sbx8Q~ServiceApp.Secret.0003';
const CERTIFICATE_PASSWORD = 'sandbox-pfx-0004';
const LOOPBACK = ['http://localhost'];

/**
 * The app certificate in `dir`: `app-certificate.pfx` (what a person picks in the form), its base64 text
 * (to paste) and its public certificate (what the app registration holds). Reused while valid, so a
 * connection saved with it keeps working after a restart.
 */
function ensureAppCertificate(dir: string): {
  pfxPath: string;
  pfxBase64Path: string;
  certPem: string;
  thumbprintSha256: string;
} {
  const pfxPath = path.join(dir, 'app-certificate.pfx');
  const pfxBase64Path = path.join(dir, 'app-certificate.pfx.base64.txt');
  const certPath = path.join(dir, 'app-certificate.cer.pem');
  if (existsSync(pfxPath) && existsSync(certPath) && existsSync(pfxBase64Path)) {
    try {
      const certPem = readFileSync(certPath, 'utf8');
      const x509 = new X509Certificate(certPem);
      if (new Date(x509.validTo).getTime() > Date.now() + 7 * 24 * 3600 * 1000) {
        return { pfxPath, pfxBase64Path, certPem, thumbprintSha256: x509.fingerprint256.replace(/:/g, '') };
      }
    } catch {
      // unreadable: make a new one
    }
  }
  mkdirSync(dir, { recursive: true });
  const cert = makeClientCertificate({
    commonName: 'Contoso Sandbox Service (certificate)',
    password: CERTIFICATE_PASSWORD,
  });
  const write = (file: string, data: string | Buffer) => {
    writeFileSync(`${file}.${process.pid}.tmp`, data, { mode: 0o600 });
    renameSync(`${file}.${process.pid}.tmp`, file);
  };
  write(pfxPath, Buffer.from(cert.pfxBase64, 'base64'));
  write(pfxBase64Path, `${cert.pfxBase64}\n`);
  write(certPath, cert.certPem);
  return { pfxPath, pfxBase64Path, certPem: cert.certPem, thumbprintSha256: cert.thumbprintSha256Hex };
}

/** Adds the sandbox's users, mailbox and app registrations to a running emulator; returns what to print. */
export function seedSandboxTenant(emulator: Emulator, options: { dir: string }): SandboxTenant {
  const [adele, megan] = DEFAULT_USERS;
  const sharedMailbox = SHARED_MAILBOXES[0];
  for (const user of [...DEFAULT_USERS, ...EXTRA_USERS]) {
    if (!emulator.users.has(user.upn.toLowerCase())) emulator.addUser(user);
  }
  emulator.addMailbox(sharedMailbox);

  const byoPublic = emulator.addApp({
    clientId: IDS.byoPublic,
    displayName: 'Contoso Mail Tool (public)',
    publicClient: true,
    allowPublicClientFlows: true,
    redirectUris: LOOPBACK,
    consentedScopes: OUTLOOK_DELEGATED,
  });
  const byoConfidential = emulator.addApp({
    clientId: IDS.byoConfidential,
    displayName: 'Contoso Mail Service (confidential)',
    publicClient: false,
    secrets: [CONFIDENTIAL_SECRET],
    redirectUris: LOOPBACK,
    consentedScopes: OUTLOOK_DELEGATED,
  });
  const service = emulator.addApp({
    clientId: IDS.clientCredentials,
    displayName: 'Contoso Mail Daemon (client secret)',
    publicClient: false,
    secrets: [SERVICE_SECRET],
    redirectUris: [],
    appRoles: ['Mail.Read'],
  });
  const certificate = ensureAppCertificate(options.dir);
  const certApp = emulator.addApp({
    clientId: IDS.clientCertificate,
    displayName: 'Contoso Mail Daemon (certificate)',
    publicClient: false,
    certificates: [{ certPem: certificate.certPem }],
    redirectUris: [],
    appRoles: ['Mail.Read'],
  });
  const needsConsent = emulator.addApp({
    clientId: IDS.needsConsent,
    displayName: 'Contoso Reports (no consent yet)',
    publicClient: true,
    allowPublicClientFlows: true,
    redirectUris: LOOPBACK,
    consentedScopes: [],
  });
  const pagesOrigin = emulator.browserEndpoint || emulator.loginEndpoint;
  const consentUrl = new URL(`${pagesOrigin}/${emulator.tenant.domain}/v2.0/adminconsent`);
  consentUrl.searchParams.set('client_id', needsConsent.clientId);
  consentUrl.searchParams.set(
    'scope',
    `${emulator.graphEndpoint}/Mail.Read ${emulator.graphEndpoint}/Mail.Read.Shared`,
  );

  return {
    tenant: { domain: emulator.tenant.domain, id: emulator.tenant.id },
    loginEndpoint: emulator.loginEndpoint,
    graphEndpoint: emulator.graphEndpoint,
    browserEndpoint: emulator.browserEndpoint,
    sharedMailbox,
    users: [
      {
        upn: adele.upn,
        password: adele.password,
        displayName: adele.displayName ?? adele.upn,
        note: `administrator; may open the shared mailbox ${sharedMailbox}`,
      },
      {
        upn: megan.upn,
        password: megan.password,
        displayName: megan.displayName ?? megan.upn,
        note: 'MFA required: username/password (ROPC) fails with AADSTS50076',
      },
      ...EXTRA_USERS.map((u) => ({
        upn: u.upn,
        password: u.password,
        displayName: u.displayName ?? u.upn,
        note: 'ordinary user, no shared mailbox, not an administrator',
      })),
    ],
    apps: {
      defaultPublic: {
        clientId: PUBLIC_CLIENT_ID,
        displayName: 'Microsoft Graph Command Line Tools',
        note: 'default public client, consented for the Outlook scopes',
      },
      byoPublic: {
        clientId: byoPublic.clientId,
        displayName: byoPublic.displayName,
        note: 'public client, redirect http://localhost, public client flows on',
      },
      byoConfidential: {
        clientId: byoConfidential.clientId,
        displayName: byoConfidential.displayName,
        clientSecret: CONFIDENTIAL_SECRET,
        note: 'confidential client, redirect http://localhost (Web)',
      },
      clientCredentials: {
        clientId: service.clientId,
        displayName: service.displayName,
        clientSecret: SERVICE_SECRET,
        account: adele.upn,
        note: 'application permission Mail.Read',
      },
      clientCertificate: {
        clientId: certApp.clientId,
        displayName: certApp.displayName,
        pfxPath: certificate.pfxPath,
        pfxBase64Path: certificate.pfxBase64Path,
        password: CERTIFICATE_PASSWORD,
        thumbprintSha256: certificate.thumbprintSha256,
        account: adele.upn,
        note: 'application permission Mail.Read',
      },
      needsConsent: {
        clientId: needsConsent.clientId,
        displayName: needsConsent.displayName,
        adminConsentUrl: consentUrl.href,
        note: 'no consent: sign-in ends in "consent required"',
      },
    },
  };
}

/** Starts the emulator and seeds it. On a failure nothing is left listening. */
export async function startSandboxTenant(
  options: EmulatorOptions & { dir: string },
): Promise<{ emulator: Emulator; tenant: SandboxTenant }> {
  const { dir, ...emulatorOptions } = options;
  const emulator = await startEmulator({ name: 'sandbox', ...emulatorOptions });
  try {
    return { emulator, tenant: seedSandboxTenant(emulator, { dir }) };
  } catch (err) {
    await emulator.stop();
    throw err;
  }
}

/** What to type into the Add Connection form, per auth type, as plain text lines. */
export function describeSandboxTenant(t: SandboxTenant): string {
  const { apps } = t;
  const [adele, megan] = t.users;
  const lines = [
    `Tenant: ${t.tenant.domain} (id ${t.tenant.id})   Environment: Custom endpoints: Sandbox`,
    '',
    'Users (password after the colon):',
    ...t.users.map((u) => `  ${u.upn} : ${u.password}   ${u.note}`),
    `Shared mailbox: ${t.sharedMailbox}`,
    '',
    'Per auth type (fields of the Add Connection form):',
    `  OAuth 2.0 authorization code (Microsoft public app)`,
    `      tenant ${t.tenant.domain}; shared mailbox ${t.sharedMailbox} (optional); sign in as ${adele.upn}`,
    `  Bring your own OAuth 2.0 app, public client (no secret)`,
    `      client ID ${apps.byoPublic.clientId}; tenant ${t.tenant.domain}`,
    `  Bring your own OAuth 2.0 app, confidential client`,
    `      client ID ${apps.byoConfidential.clientId}; client secret ${apps.byoConfidential.clientSecret}; tenant ${t.tenant.domain}`,
    `  OAuth 2.0 client credentials`,
    `      client ID ${apps.clientCredentials.clientId}; client secret ${apps.clientCredentials.clientSecret}`,
    `      tenant ${t.tenant.domain}; account ${apps.clientCredentials.account}`,
    `  Client certificate`,
    `      client ID ${apps.clientCertificate.clientId}; tenant ${t.tenant.domain}; account ${apps.clientCertificate.account}`,
    `      certificate ${apps.clientCertificate.pfxPath}`,
    `      (or paste the base64 in ${apps.clientCertificate.pfxBase64Path}); certificate password ${apps.clientCertificate.password}`,
    `  Username and password (ROPC)`,
    `      tenant ${t.tenant.domain}; username ${adele.upn}; password ${adele.password}`,
    `      (${megan.upn} shows the MFA failure, AADSTS50076)`,
    '',
    `Consent required: client ID ${apps.needsConsent.clientId} (bring your own app, no secret) has no consent;`,
    `  grant it as ${adele.upn} at ${apps.needsConsent.adminConsentUrl}`,
  ];
  return lines.join('\n');
}
