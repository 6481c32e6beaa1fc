/**
 * The panel's message handling, in plain Node: `vscode` is replaced by a small fake that records the
 * webview panel it creates and what is posted to it. The real editor is exercised by test/editor.
 */
import * as assert from 'node:assert/strict';
import Module from 'node:module';
import { emptyDraft, type ConnectionDraft } from '../../../src/engine/validate';
import type { ConnectOutcome, FormHost, FormInit, SaveOutcome } from '../../../src/webview/formHost';
import type { HostMessage } from '../../../src/webview/protocol';

// ---- a fake `vscode`, just what the panel uses ----
interface FakeUri {
  path: string;
  toString(): string;
}
const uri = (path: string): FakeUri => ({ path, toString: () => `file://${path}` });

class EventEmitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

interface FakePanel {
  title: string;
  options: { enableScripts?: boolean; retainContextWhenHidden?: boolean; localResourceRoots?: FakeUri[] };
  revealed: number;
  disposed: boolean;
  webview: {
    html: string;
    cspSource: string;
    posted: HostMessage[];
    receive(message: unknown): void;
  };
}

const created: FakePanel[] = [];

function createWebviewPanel(_viewType: string, title: string, _column: unknown, options: FakePanel['options']) {
  const received = new EventEmitter<unknown>();
  const disposed = new EventEmitter<void>();
  const panel = {
    title,
    options,
    revealed: 0,
    disposed: false,
    webview: {
      html: '',
      cspSource: 'https://fake.vscode-cdn.net',
      posted: [] as HostMessage[],
      asWebviewUri: (u: FakeUri) => ({ toString: () => `https://fake.vscode-cdn.net${u.path}` }),
      postMessage: async (m: HostMessage) => {
        panel.webview.posted.push(m);
        return true;
      },
      onDidReceiveMessage: received.event,
      receive: (m: unknown) => received.fire(m),
    },
    onDidDispose: disposed.event,
    reveal: () => {
      panel.revealed++;
    },
    dispose: () => {
      if (!panel.disposed) {
        panel.disposed = true;
        disposed.fire();
      }
    },
  };
  created.push(panel);
  return panel;
}

const fill = (template: string, args: unknown[]) => template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const fakeVscode = {
  Uri: { joinPath: (base: FakeUri, ...parts: string[]) => uri([base.path, ...parts].join('/')) },
  ViewColumn: { Active: -1 },
  EventEmitter,
  window: { createWebviewPanel },
  env: { language: 'en' },
  l10n: { bundle: { 'Signing in to {0}…': 'Anmeldung bei {0}…' } as Record<string, string> | undefined, t: (template: string, ...args: unknown[]) => fill(template, args) },
};

const moduleInternals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleInternals._load;
moduleInternals._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fakeVscode : originalLoad.call(this, request, ...rest);
};
const { ConnectionFormPanel } = require('../../../src/webview/formPanel') as typeof import('../../../src/webview/formPanel');
moduleInternals._load = originalLoad;

// ---- a scripted host ----
class FakeHost implements FormHost {
  readonly calls: { method: string; args: unknown[] }[] = [];
  saveOutcome: SaveOutcome = { ok: true, connectionId: 'c-1' };
  connectOutcome: (signal: AbortSignal, onDeviceCode: (code: string, uri: string) => void) => Promise<ConnectOutcome> = async () => ({
    ok: true,
    message: 'Connected as adele@contoso.com.',
  });

  async init(connectionId: string | undefined): Promise<FormInit> {
    this.calls.push({ method: 'init', args: [connectionId] });
    return {
      mode: connectionId ? 'edit' : 'add',
      draft: { ...emptyDraft(), name: connectionId ? 'Sales' : '' },
      storedSecrets: connectionId ? ['clientSecret'] : [],
      environments: [{ id: 'global', label: 'Office 365' }],
      otherNames: [],
      defaultPublicClientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
      remote: false,
    };
  }
  async save(draft: ConnectionDraft, options: { connectionId?: string; certificateBase64?: string }): Promise<SaveOutcome> {
    this.calls.push({ method: 'save', args: [draft, options] });
    return this.saveOutcome;
  }
  async connect(connectionId: string, options: { signal: AbortSignal; onDeviceCode: (userCode: string, verificationUri: string) => void }) {
    this.calls.push({ method: 'connect', args: [connectionId] });
    return this.connectOutcome(options.signal, options.onDeviceCode);
  }
  async copy(what: 'redirectUri' | 'adminConsentLink', draft: ConnectionDraft): Promise<void> {
    this.calls.push({ method: 'copy', args: [what, draft] });
  }
  async pickCertificate() {
    this.calls.push({ method: 'pickCertificate', args: [] });
    return { fileName: 'robot.pfx', base64: 'UEZYLUJZVEVT' };
  }
}

const extensionUri = uri('/ext');
const draft = (overrides: Partial<ConnectionDraft> = {}): ConnectionDraft => ({ ...emptyDraft(), name: 'Sales', ...overrides });

describe('ConnectionFormPanel (fake vscode)', () => {
  let host: FakeHost;
  let warnings: string[];
  const panels: { dispose(): void }[] = [];
  const open = (connectionId?: string) => {
    const form = ConnectionFormPanel.show(extensionUri as never, host, { connectionId, log: { warn: (m) => warnings.push(m) } });
    panels.push(form);
    return { form, panel: created[created.length - 1]! };
  };

  beforeEach(() => {
    host = new FakeHost();
    warnings = [];
  });
  afterEach(() => {
    for (const p of panels.splice(0)) p.dispose();
  });

  it('serves the form under a nonce CSP with narrow resource roots', () => {
    const { panel } = open();
    assert.equal(panel.title, 'Add Outlook Connection');
    assert.equal(panel.options.enableScripts, true);
    assert.deepEqual(
      panel.options.localResourceRoots?.map((u) => u.path),
      ['/ext/dist/webview', '/ext/media'],
    );
    const html = panel.webview.html;
    const nonce = /'nonce-([A-Za-z0-9]{32})'/.exec(html)?.[1];
    assert.ok(nonce, 'a nonce in the CSP');
    assert.ok(
      html.includes(
        `content="default-src 'none'; style-src https://fake.vscode-cdn.net; script-src 'nonce-${nonce}'; font-src https://fake.vscode-cdn.net; img-src https://fake.vscode-cdn.net data:;"`,
      ),
    );
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://fake.vscode-cdn.net/ext/dist/webview/form.js"></script>`));
    assert.ok(html.includes('href="https://fake.vscode-cdn.net/ext/media/form.css"'));
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline code');
  });

  it('keeps one panel per connection and reveals it', () => {
    const first = open('c-1');
    const again = ConnectionFormPanel.show(extensionUri as never, host, { connectionId: 'c-1' });
    assert.equal(again, first.form);
    assert.equal(first.panel.revealed, 1);
    const other = open();
    assert.notEqual(other.form, first.form);
  });

  it('answers ready with init and the l10n bundle; an edit is titled with its name', async () => {
    const { form, panel } = open('c-1');
    await form.handleMessage({ type: 'ready' });
    assert.deepEqual(host.calls[0], { method: 'init', args: ['c-1'] });
    const init = panel.webview.posted[0] as Extract<HostMessage, { type: 'init' }>;
    assert.equal(init.type, 'init');
    assert.equal(init.mode, 'edit');
    assert.deepEqual(init.storedSecrets, ['clientSecret']);
    assert.deepEqual(init.l10n, { 'Signing in to {0}…': 'Anmeldung bei {0}…' });
    assert.equal(panel.title, 'Edit: Sales');
  });

  it('drops a malformed message, logs no contents, and says so to the form', async () => {
    const { form, panel } = open();
    const posted: HostMessage[] = [];
    form.onDidPostMessage((m) => posted.push(m));
    await form.handleMessage({ type: 'submit', draft: { password: 'hunter2-secret' }, useCertificateFile: false, extra: true });
    await form.handleMessage('not even an object');
    assert.equal(host.calls.length, 0);
    assert.equal(warnings.length, 2);
    assert.ok(!warnings.join(' ').includes('hunter2'), 'the log never sees message contents');
    assert.deepEqual(posted, panel.webview.posted);
    assert.deepEqual(panel.webview.posted[0], { type: 'result', ok: false, message: 'The form sent a message the extension does not accept.' });
  });

  it('posts the host\u2019s validation messages and does not connect', async () => {
    const { form, panel } = open();
    host.saveOutcome = { ok: false, errors: { name: 'A connection named "Sales" already exists.' } };
    await form.handleMessage({ type: 'submit', draft: draft(), useCertificateFile: false });
    assert.deepEqual(
      host.calls.map((c) => c.method),
      ['save'],
    );
    assert.deepEqual(panel.webview.posted, [{ type: 'validation', errors: { name: 'A connection named "Sales" already exists.' } }]);
  });

  it('saves, shows progress and the device code, connects, reports, then edits the saved connection', async () => {
    const { form, panel } = open();
    host.connectOutcome = async (_signal, onDeviceCode) => {
      onDeviceCode('ABCD-EFGH', 'https://microsoft.com/devicelogin');
      return { ok: true, message: 'Connected as adele@contoso.com.' };
    };
    await form.handleMessage({ type: 'submit', draft: draft(), useCertificateFile: false });
    assert.deepEqual(panel.webview.posted, [
      { type: 'busy', message: 'Signing in to Sales…' },
      { type: 'deviceCode', userCode: 'ABCD-EFGH', verificationUri: 'https://microsoft.com/devicelogin' },
      { type: 'result', ok: true, message: 'Connected as adele@contoso.com.', connectionId: 'c-1' },
    ]);
    assert.equal(panel.title, 'Edit: Sales');
    assert.deepEqual(host.calls[0]!.args[1], {}, 'a new connection: no id yet');

    await form.handleMessage({ type: 'submit', draft: draft(), useCertificateFile: false });
    assert.deepEqual(host.calls[2]!.args[1], { connectionId: 'c-1' }, 'the second submit edits the saved connection');
    assert.equal(ConnectionFormPanel.show(extensionUri as never, host, { connectionId: 'c-1' }), form, 'show finds it by its new id');
  });

  it('cancel aborts the sign-in, and the failure is reported with its code', async () => {
    const { form, panel } = open();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    host.connectOutcome = (signal) =>
      new Promise<ConnectOutcome>((resolve) => {
        started();
        signal.addEventListener('abort', () => resolve({ ok: false, cancelled: true, message: 'Sign-in was cancelled.', code: 'cancelled' }));
      });
    const submitting = form.handleMessage({ type: 'submit', draft: draft(), useCertificateFile: false });
    await running;
    await form.handleMessage({ type: 'cancel' });
    await submitting;
    assert.deepEqual(panel.webview.posted.at(-1), { type: 'result', ok: false, message: 'Sign-in was cancelled.', connectionId: 'c-1', code: 'cancelled' });
  });

  it('keeps a picked certificate in the extension and hands it to save', async () => {
    const { form, panel } = open();
    await form.handleMessage({ type: 'pickCertificate' });
    assert.deepEqual(panel.webview.posted, [{ type: 'certificatePicked', fileName: 'robot.pfx' }]);
    await form.handleMessage({ type: 'submit', draft: draft({ authType: 'clientCertificate' }), useCertificateFile: true });
    assert.deepEqual(host.calls[1]!.args[1], { certificateBase64: 'UEZYLUJZVEVT' });
    assert.ok(!JSON.stringify(panel.webview.posted).includes('UEZYLUJZVEVT'), 'the certificate never goes to the webview');
  });

  it('copies through the host and confirms', async () => {
    const { form, panel } = open();
    await form.handleMessage({ type: 'copy', what: 'adminConsentLink', draft: draft() });
    assert.equal(host.calls[0]!.method, 'copy');
    assert.deepEqual(panel.webview.posted, [{ type: 'copied', what: 'adminConsentLink' }]);
  });

  it('a failing host becomes a failure result, not an unhandled rejection', async () => {
    const { form, panel } = open();
    host.save = async () => {
      throw new Error('disk full');
    };
    await form.handleMessage({ type: 'submit', draft: draft(), useCertificateFile: false });
    assert.deepEqual(panel.webview.posted, [{ type: 'result', ok: false, message: 'Something went wrong: disk full' }]);
    assert.equal(warnings.length, 1);
  });

  it('closing the panel aborts a running sign-in and frees its slot', async () => {
    const { form, panel } = open();
    let aborted = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    host.connectOutcome = (signal) =>
      new Promise<ConnectOutcome>((resolve) => {
        started();
        signal.addEventListener('abort', () => {
          aborted = true;
          resolve({ ok: false, message: 'cancelled' });
        });
      });
    const submitting = form.handleMessage({ type: 'submit', draft: draft(), useCertificateFile: false });
    await running;
    panel.webview.posted.length = 0;
    form.dispose();
    await submitting;
    assert.ok(aborted);
    assert.ok(panel.disposed);
    assert.deepEqual(panel.webview.posted, [], 'nothing is posted to a closed panel');
    assert.notEqual(open('c-1').form, form);
  });
});
