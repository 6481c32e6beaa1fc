/**
 * The Add/Edit Connection webview panel (webview-sample's `createOrShow` pattern): one panel per
 * connection, one for a new connection. The panel owns the webview (HTML, CSP, messages); the
 * `FormHost` owns the connections. Every message from the webview is untrusted: it is shape-checked
 * by `parseFormMessage` and the host validates the draft again.
 */
import * as vscode from 'vscode';
import type { FormHost, PickedCertificate } from './formHost';
import { createNonce, formHtml } from './form/html';
import { parseFormMessage, type FormMessage, type HostMessage } from './protocol';
import type { EnvironmentId } from '../model/clouds';

/** Where the panel reports dropped messages. It never receives message contents (they may hold secrets). */
export interface FormPanelLog {
  warn(message: string): void;
}

export interface FormPanelOptions {
  /** The connection to edit; absent for a new one. */
  connectionId?: string;
  /** Permissions the form opens with ticked (a fix of Test Connection); ignored when the panel is open already. */
  addPermissions?: readonly string[];
  /** The name of the connection to edit: the tab says which one from the start, before the page has loaded. */
  connectionName?: string;
  log?: FormPanelLog;
}

const NEW = 'new';

export class ConnectionFormPanel implements vscode.Disposable {
  static readonly viewType = 'outlook365.connectionForm';
  private static readonly panels = new Map<string, ConnectionFormPanel>();

  /** Shows the form for a connection (or for a new one), revealing the panel already open for it. */
  static show(extensionUri: vscode.Uri, host: FormHost, options: FormPanelOptions = {}): ConnectionFormPanel {
    const key = options.connectionId ?? NEW;
    const existing = ConnectionFormPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ConnectionFormPanel.viewType,
      options.connectionId
        ? options.connectionName
          ? vscode.l10n.t('Edit: {0}', options.connectionName)
          : vscode.l10n.t('Edit Outlook Connection')
        : vscode.l10n.t('Add Outlook Connection'),
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        retainContextWhenHidden: false,
        localResourceRoots: [
          vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
          vscode.Uri.joinPath(extensionUri, 'media'),
        ],
      },
    );
    const form = new ConnectionFormPanel(panel, extensionUri, host, options);
    ConnectionFormPanel.panels.set(key, form);
    return form;
  }

  private readonly postedEmitter = new vscode.EventEmitter<HostMessage>();
  /** Every message posted to the webview (tests listen here). */
  readonly onDidPostMessage = this.postedEmitter.event;

  private connectionId: string | undefined;
  private readonly addPermissions: readonly string[];
  private readonly log: FormPanelLog;
  /** The picked .pfx: stays here, never goes to the webview. */
  private certificate: PickedCertificate | undefined;
  private signIn: AbortController | undefined;
  /** The tenant look-up under way: a newer one cancels it. */
  private lookup: AbortController | undefined;
  private busyMessage: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly host: FormHost,
    options: FormPanelOptions,
  ) {
    this.connectionId = options.connectionId;
    this.addPermissions = options.addPermissions ?? [];
    this.log = options.log ?? { warn: () => undefined };
    const webview = panel.webview;
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.handleMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
      this.postedEmitter,
    );
    void this.load(extensionUri);
  }

  /**
   * Sets the page, with the `init` message in it: the first load renders at once. A reload (the panel
   * hidden and shown again) has the page's saved state and asks with `ready`, so it never renders an
   * `init` older than the panel's connection; so does a page whose `init` could not be made here.
   */
  private async load(extensionUri: vscode.Uri): Promise<void> {
    const init = await this.initMessage().catch((err: unknown) => {
      this.log.warn(`The form's first data could not be prepared (${err instanceof Error ? err.name : 'error'}).`);
      return undefined;
    });
    if (this.disposed) return;
    const webview = this.panel.webview;
    webview.html = formHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'form.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'form.css')).toString(),
      title: this.panel.title,
      lang: vscode.env.language,
      init,
    });
  }

  /** What the page starts from: the connection as stored now (or a new draft), and the UI's strings. */
  private async initMessage(): Promise<Extract<HostMessage, { type: 'init' }>> {
    const init = await this.host.init(this.connectionId, { addPermissions: this.addPermissions });
    if (init.mode === 'edit' && init.draft.name) {
      this.panel.title = vscode.l10n.t('Edit: {0}', init.draft.name);
    }
    return { type: 'init', ...init, l10n: vscode.l10n.bundle ?? {} };
  }

  /** Handles one message from the webview. Public so tests can drive the panel without a webview. */
  async handleMessage(raw: unknown): Promise<void> {
    const message = parseFormMessage(raw);
    if (!message) {
      this.log.warn('The form sent a message of an unexpected shape; it was dropped.');
      this.post({
        type: 'result',
        ok: false,
        message: vscode.l10n.t('The form sent a message the extension does not accept.'),
      });
      return;
    }
    try {
      await this.dispatch(message);
    } catch (err) {
      this.log.warn(`Handling the form's "${message.type}" failed (${err instanceof Error ? err.name : 'error'}).`);
      this.post({
        type: 'result',
        ok: false,
        message: vscode.l10n.t('Something went wrong: {0}', err instanceof Error ? err.message : String(err)),
        ...(this.connectionId ? { connectionId: this.connectionId } : {}),
      });
    }
  }

  private async dispatch(message: FormMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.post(await this.initMessage());
        // A webview reloaded while signing in (hidden and shown again) gets the progress back.
        if (this.signIn && this.busyMessage) {
          this.post({ type: 'busy', message: this.busyMessage });
        }
        return;
      }
      case 'submit':
      case 'save':
        return this.submit(message.draft, message.useCertificateFile, message.type === 'submit');
      case 'lookUpTenant':
        return this.lookUpTenant(message.tenant, message.environment);
      case 'openHelp':
        return this.host.openHelp(message.topic);
      case 'cancel':
        this.signIn?.abort();
        return;
      case 'pickCertificate': {
        const picked = await this.host.pickCertificate();
        if (picked) {
          this.certificate = picked;
          this.post({ type: 'certificatePicked', fileName: picked.fileName });
        }
        return;
      }
      case 'copy':
        if (await this.host.copy(message.what, message.draft)) {
          this.post({ type: 'copied', what: message.what });
        }
        return;
    }
  }

  /** Looks the tenant up; the answer goes back only when there is something to say and it is still current. */
  private async lookUpTenant(tenant: string, environment: EnvironmentId): Promise<void> {
    this.lookup?.abort();
    const lookup = new AbortController();
    this.lookup = lookup;
    const verdict = await this.host.lookUpTenant(tenant, environment, {
      ...(this.connectionId ? { connectionId: this.connectionId } : {}),
      signal: lookup.signal,
    });
    if (lookup.signal.aborted || verdict.kind === 'unknown') return;
    this.lookup = undefined;
    this.post({ type: 'tenantCloud', tenant, environment, verdict });
  }

  private async submit(
    draft: Parameters<FormHost['save']>[0],
    useCertificateFile: boolean,
    connect: boolean,
  ): Promise<void> {
    if (this.signIn) {
      return; // One submit at a time; the form is locked meanwhile.
    }
    // Armed before saving, so a Cancel that arrives while saving is not lost.
    const signIn = new AbortController();
    this.signIn = signIn;
    try {
      const saved = await this.host.save(draft, {
        ...(this.connectionId ? { connectionId: this.connectionId } : {}),
        ...(useCertificateFile && this.certificate ? { certificateBase64: this.certificate.base64 } : {}),
      });
      if (!saved.ok) {
        this.post({ type: 'validation', errors: saved.errors });
        return;
      }
      this.certificate = undefined; // Stored now.
      this.adopt(saved.connectionId, draft.name);
      if (!connect) {
        this.post({
          type: 'result',
          ok: true,
          connectionId: saved.connectionId,
          message: saved.signedIn
            ? vscode.l10n.t('Saved.')
            : vscode.l10n.t('Saved; not signed in. Sign in from the Connections view, or with Connect, when ready.'),
        });
        return;
      }
      this.busyMessage = vscode.l10n.t('Signing in to {0}…', draft.name);
      this.post({ type: 'busy', message: this.busyMessage });
      const outcome = signIn.signal.aborted
        ? {
            ok: false as const,
            message: vscode.l10n.t(
              'Sign-in was cancelled. The connection is saved; sign in from the Connections view when ready.',
            ),
          }
        : await this.host.connect(saved.connectionId, {
            signal: signIn.signal,
            onDeviceCode: (userCode, verificationUri) => this.post({ type: 'deviceCode', userCode, verificationUri }),
          });
      this.post(
        outcome.ok
          ? { type: 'result', ok: true, message: outcome.message, connectionId: saved.connectionId }
          : {
              type: 'result',
              ok: false,
              message: outcome.message,
              connectionId: saved.connectionId,
              ...('code' in outcome && outcome.code ? { code: outcome.code } : {}),
              ...('status' in outcome && outcome.status ? { status: outcome.status } : {}),
            },
      );
    } finally {
      this.signIn = undefined;
      this.busyMessage = undefined;
    }
  }

  /** After the first save the panel edits that connection: later submits update it, `show` finds it. */
  private adopt(connectionId: string, name: string): void {
    if (this.connectionId !== connectionId) {
      ConnectionFormPanel.panels.delete(this.connectionId ?? NEW);
      this.connectionId = connectionId;
      ConnectionFormPanel.panels.set(connectionId, this);
    }
    this.panel.title = vscode.l10n.t('Edit: {0}', name.trim());
  }

  private post(message: HostMessage): void {
    if (this.disposed) {
      return;
    }
    void this.panel.webview.postMessage(message);
    this.postedEmitter.fire(message);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.signIn?.abort();
    this.lookup?.abort();
    const key = this.connectionId ?? NEW;
    if (ConnectionFormPanel.panels.get(key) === this) {
      ConnectionFormPanel.panels.delete(key);
    }
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}
