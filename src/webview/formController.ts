/**
 * The form's host: turns drafts into saved connections (validating again: the webview is not trusted),
 * connects them through the one sign-in path (auth/signInUi.ts), and serves the form's small requests
 * (clipboard, certificate file).
 */
import * as vscode from 'vscode';
import { adminConsentUrl, redirectUriAdvice } from '../model/adminConsent';
import { parsePfx } from '../engine/certificate';
import {
  customEnvironmentProblem,
  ENVIRONMENT_IDS,
  resolveEnvironment,
  UNNAMED_CUSTOM_ENVIRONMENT,
  type Environment,
  type EnvironmentId,
} from '../model/clouds';
import { SECRET_FIELDS } from '../model/connection';
import { helpUrl, type HelpTopic } from '../model/helpLinks';
import type { TenantVerdict } from '../model/tenantCloud';
import { lookUpTenant } from '../engine/tenantMetadata';
import { ConnectionError } from '../engine/failures';
import { isBroken } from '../model/storedConnection';
import { draftFromConfig, emptyDraft, validateDraft, type ConnectionDraft, type DraftField } from '../model/validate';
import { expiryText } from '../engine/status';
import type { SignInUi } from '../auth/signInUi';
import type { Configurations } from '../connections/configurations';
import type { ConnectionsView } from '../connections/connectionStore';
import type { Sessions } from '../connections/sessions';
import { t } from '../localize';
import type { Settings } from '../settings';
import { environmentLabel } from '../labels';
import type { ConnectOutcome, FormHost, FormInit, PickedCertificate, SaveOutcome } from './formHost';
import type { CopyTarget } from './protocol';

const MAX_CERTIFICATE_BYTES = 192 * 1024;

export class FormController implements FormHost {
  constructor(
    private readonly connections: ConnectionsView,
    private readonly configurations: Configurations,
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    /** The one interactive sign-in (progress with cancel). */
    private readonly signInUi: Pick<SignInUi, 'signIn'>,
  ) {}

  async init(connectionId: string | undefined): Promise<FormInit> {
    const config = connectionId ? this.connections.getConfig(connectionId) : undefined;
    // The form shows, and its validator pins, what the connection will use: its own pinned endpoints and
    // client when editing, the user's settings for a new one.
    const custom =
      (config?.environment === 'custom' ? config.endpoints : undefined) ?? this.settings.customEnvironment();
    const customProblem = customEnvironmentProblem(custom);
    const publicClientId =
      (config && 'publicClientId' in config ? config.publicClientId : undefined) ??
      this.settings.defaultPublicClientId();
    return {
      mode: config ? 'edit' : 'add',
      draft: config ? draftFromConfig(config) : emptyDraft(),
      storedSecrets: config ? await this.configurations.storedSecretFields(config.id) : [],
      environments: ENVIRONMENT_IDS.map((id) => {
        if (id === 'custom') {
          return customProblem
            ? { id, label: environmentLabel(id), problem: t(customProblem) }
            : {
                id,
                label: customEnvironmentLabel(resolveEnvironment('custom', custom)),
                ...endpoints(resolveEnvironment('custom', custom)),
              };
        }
        return { id, label: environmentLabel(id), ...endpoints(resolveEnvironment(id)) };
      }),
      ...(custom ? { customEnvironment: custom as FormInit['customEnvironment'] } : {}),
      otherNames: this.#otherNames(config?.id),
      defaultPublicClientId: publicClientId,
      remote: !!vscode.env.remoteName,
    };
  }

  async save(
    draft: ConnectionDraft,
    options: { connectionId?: string; certificateBase64?: string },
  ): Promise<SaveOutcome> {
    const existing = options.connectionId ? this.connections.getConfig(options.connectionId) : undefined;
    const input = options.certificateBase64 ? { ...draft, certificate: options.certificateBase64 } : draft;
    const result = validateDraft(input, {
      customEnvironment: this.settings.customEnvironment(),
      defaultPublicClientId: this.settings.defaultPublicClientId(),
      otherNames: this.#otherNames(existing?.id),
      ...(existing ? { existing, storedSecrets: await this.configurations.storedSecretFields(existing.id) } : {}),
      openCertificate: (pfx, password) => parsePfx(pfx, password),
    });
    if (!result.ok) {
      const errors: Partial<Record<DraftField, string>> = {};
      for (const [field, message] of Object.entries(result.errors)) {
        errors[field as DraftField] = t(message);
      }
      return { ok: false, errors };
    }
    await this.configurations.save(result.config, result.secrets);
    return { ok: true, connectionId: result.config.id, signedIn: !!this.connections.facts(result.config.id).signedIn };
  }

  async connect(
    connectionId: string,
    options: { signal: AbortSignal; onDeviceCode: (userCode: string, verificationUri: string) => void },
  ): Promise<ConnectOutcome> {
    const deviceCodes = this.sessions.onDidShowDeviceCode((e) => {
      if (e.connectionId === connectionId) options.onDeviceCode(e.userCode, e.verificationUri);
    });
    try {
      // The user asked to connect in our own form: no second "wants to sign in" question. The one sign-in
      // path runs (progress, cancel) and VS Code hears of the new session through the provider's event.
      await this.signInUi.signIn(connectionId, { cancel: options.signal });
      const facts = this.connections.facts(connectionId);
      const expires = facts.expiresOn ? t(expiryText(new Date(facts.expiresOn), new Date(), vscode.env.language)) : '';
      return {
        ok: true,
        message: facts.account
          ? vscode.l10n.t('Connected as {0}; the token {1}.', facts.account, expires)
          : vscode.l10n.t('Connected; the token {0}.', expires),
      };
    } catch (err) {
      const failure = err instanceof ConnectionError ? err.failure : undefined;
      if (!failure || failure.kind === 'cancelled') {
        return {
          ok: false,
          cancelled: true,
          message: vscode.l10n.t(
            'Sign-in was cancelled. The connection is saved; sign in from the Connections view when ready.',
          ),
        };
      }
      return {
        ok: false,
        message: t(failure.message),
        ...(failure.code ? { code: failure.code } : {}),
        status: failure.status,
      };
    } finally {
      deviceCodes.dispose();
    }
  }

  async copy(what: CopyTarget, draft: ConnectionDraft): Promise<boolean> {
    if (what === 'redirectUri') {
      const advice = redirectUriAdvice(!!draft.clientSecret);
      await vscode.env.clipboard.writeText(advice.uri);
      return true;
    }
    // The consent link needs client, tenant and environment, not secrets: validate as if they were stored.
    const result = validateDraft(
      { ...draft, name: draft.name || 'draft' },
      {
        customEnvironment: this.settings.customEnvironment(),
        defaultPublicClientId: this.settings.defaultPublicClientId(),
        storedSecrets: [...SECRET_FIELDS],
      },
    );
    if (!result.ok) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Fill in the client ID, tenant and environment first.'));
      return false;
    }
    const url = adminConsentUrl(result.config, this.configurations.environmentOf(result.config), {
      state: crypto.randomUUID(),
    });
    await vscode.env.clipboard.writeText(url);
    return true;
  }

  async pickCertificate(): Promise<PickedCertificate | undefined> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: vscode.l10n.t('Use certificate'),
      filters: { [vscode.l10n.t('Certificates (.pfx, .p12)')]: ['pfx', 'p12'] },
    });
    if (!picked?.[0]) {
      return undefined;
    }
    const stat = await vscode.workspace.fs.stat(picked[0]);
    if (stat.size > MAX_CERTIFICATE_BYTES) {
      void vscode.window.showErrorMessage(vscode.l10n.t('That file is too large to be a .pfx certificate.'));
      return undefined;
    }
    const bytes = await vscode.workspace.fs.readFile(picked[0]);
    return {
      fileName: picked[0].path.split('/').pop() ?? 'certificate.pfx',
      base64: Buffer.from(bytes).toString('base64'),
    };
  }

  async lookUpTenant(
    tenant: string,
    environmentId: EnvironmentId,
    options: { connectionId?: string; signal: AbortSignal },
  ): Promise<TenantVerdict> {
    // The hosts the connection would use: a built-in cloud, or for custom endpoints the edited
    // connection's pinned ones, else the user's setting (never a workspace's: Settings reads user level).
    const config = options.connectionId ? this.connections.getConfig(options.connectionId) : undefined;
    const custom =
      (config?.environment === 'custom' ? config.endpoints : undefined) ?? this.settings.customEnvironment();
    let environment: Environment;
    try {
      environment = resolveEnvironment(environmentId, custom);
    } catch {
      return { kind: 'unknown' };
    }
    return lookUpTenant(tenant, environment, { signal: options.signal });
  }

  async openHelp(topic: HelpTopic): Promise<void> {
    const url = helpUrl(topic);
    if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  #otherNames(exceptId: string | undefined): string[] {
    return this.connections
      .list()
      .filter((e) => e.id !== exceptId && !isBroken(e))
      .map((e) => e.name);
  }
}

function endpoints(env: { loginEndpoint: string; graphEndpoint: string }) {
  return { loginEndpoint: env.loginEndpoint, graphEndpoint: env.graphEndpoint };
}

/** "Custom endpoints: <the name the user gave them>", or the label alone when the setting names none. */
function customEnvironmentLabel(environment: Environment): string {
  return environment.name === UNNAMED_CUSTOM_ENVIRONMENT
    ? environmentLabel('custom')
    : `${environmentLabel('custom')}: ${environment.name}`;
}
