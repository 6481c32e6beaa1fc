/**
 * The Connections view. It renders only what the store knows (configuration and last facts): drawing
 * the tree never touches the network or SecretStorage. The expiry text is refreshed on a timer while
 * the view is visible.
 */
import * as vscode from 'vscode';
import { clientIdOf, type ConnectionConfig } from '../model/connection';
import type { RoutingChange } from '../model/pinning';
import { compareScopes, graphPermissions, summarizeScopes } from '../model/scopes';
import { expiryText, type ConnectionStatus } from '../engine/status';
import { isBroken } from '../model/storedConnection';
import type { ConnectionEntry, ConnectionsView } from '../connections/connectionStore';
import { statusOf, type ConnectionFacts } from '../connections/facts';
import { t } from '../localize';
import type { Message } from '../model/messages';
import { authTypeLabel, environmentLabel, statusLabel } from '../labels';
import { checklistNodes } from './checklistNodes';
import type { TreeNode } from './treeNode';
import { STATUS_THEME_ICON } from './statusIcons';
import { credentialAlert, credentialDetail, credentialSummary } from './credentialText';

export type { TreeNode } from './treeNode';

/** How the tree learns whether a connection's pinned endpoints differ from the user's settings. */
export interface RoutingView {
  changeOf(id: string): RoutingChange | undefined;
  /** The settings changed: every item may have to offer, or stop offering, "Update Endpoints". */
  onDidChange: vscode.Event<void>;
}

const EXPIRY_TICK_MS = 30_000;

export class ConnectionsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly #onDidChangeTreeData = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.#onDidChangeTreeData.event;
  readonly #disposables: vscode.Disposable[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Nodes are kept per id so that a refresh of one connection can name its node. */
  readonly #nodes = new Map<string, TreeNode>();

  constructor(
    private readonly store: ConnectionsView,
    private readonly routing: RoutingView,
  ) {
    // A deleted connection has no item to redraw: refresh the whole list then.
    this.#disposables.push(
      store.onDidChange((id) => this.#onDidChangeTreeData.fire(id && store.get(id) ? this.#nodes.get(id) : undefined)),
      routing.onDidChange(() => this.#onDidChangeTreeData.fire(undefined)),
    );
  }

  /** Starts or stops the expiry timer with the view's visibility. */
  setVisible(visible: boolean): void {
    if (visible && !this.#timer) {
      this.#timer = setInterval(() => this.#onDidChangeTreeData.fire(undefined), EXPIRY_TICK_MS);
    } else if (!visible && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) {
      const entries = this.store.list();
      if (this.#nodes.size > entries.length) {
        // Forget nodes of deleted connections.
        const ids = new Set(entries.map((e) => e.id));
        for (const id of this.#nodes.keys()) if (!ids.has(id)) this.#nodes.delete(id);
      }
      return entries.map((entry) => this.#connectionNode(entry.id));
    }
    if (node.kind === 'connection') {
      const entry = this.store.get(node.id);
      return entry && !isBroken(entry) ? this.#details(entry, this.store.facts(entry.id)) : [];
    }
    return [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'detail' ? this.#connectionNode(node.id) : undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'detail') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = `${node.id}/${node.key}`;
      item.description = node.description;
      item.iconPath = node.icon;
      item.tooltip = node.tooltip;
      item.command = node.command;
      item.contextValue = `detail;${node.key}${node.context ? `;${node.context}` : ''}`;
      return item;
    }
    const entry = this.store.get(node.id);
    if (!entry) {
      return new vscode.TreeItem(node.id);
    }
    return isBroken(entry) ? this.#brokenItem(entry) : this.#connectionItem(entry, this.store.facts(entry.id));
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'connection' && !item.tooltip) {
      const config = this.store.getConfig(node.id);
      if (config) {
        const facts = this.store.facts(node.id);
        item.tooltip = this.#tooltip(config, facts, statusOf(facts, new Date(), config));
      }
    }
    return item;
  }

  #connectionNode(id: string): TreeNode {
    let node = this.#nodes.get(id);
    if (!node) {
      node = { kind: 'connection', id };
      this.#nodes.set(id, node);
    }
    return node;
  }

  #connectionItem(config: ConnectionConfig, facts: ConnectionFacts): vscode.TreeItem {
    const now = new Date();
    const status = statusOf(facts, now, config);
    const item = new vscode.TreeItem(config.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = config.id;
    const credential = credentialAlert(config, now);
    const statusText =
      (status === 'valid' || status === 'expiringSoon' || status === 'expired') && facts.expiresOn
        ? t(expiryText(new Date(facts.expiresOn), now, vscode.env.language))
        : status === 'credentialExpiring' || status === 'credentialExpired'
          ? (credential ?? statusLabel(status))
          : statusLabel(status);
    const outdated = !!this.routing.changeOf(config.id);
    item.description = [
      facts.account,
      statusText,
      statusText === credential ? undefined : credential,
      outdated ? vscode.l10n.t('endpoints changed in settings') : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = STATUS_THEME_ICON[status];
    item.contextValue = [
      'connection',
      `status-${status}`,
      `auth-${config.authType}`,
      facts.signedIn ? 'signedIn' : 'signedOut',
      ...(outdated ? ['endpointsOutdated'] : []),
    ].join(' ');
    // The tooltip is built in resolveTreeItem, on hover: building 1,000 of them made the first draw slow.
    item.accessibilityInformation = {
      label: `${config.name}, ${statusLabel(status)}${facts.account ? `, ${facts.account}` : ''}`,
    };
    return item;
  }

  #brokenItem(entry: ConnectionEntry & { broken: Message }): vscode.TreeItem {
    const item = new vscode.TreeItem(entry.name, vscode.TreeItemCollapsibleState.None);
    item.id = entry.id;
    item.description = vscode.l10n.t('unreadable: {0}', t(entry.broken));
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    item.contextValue = 'connection broken';
    item.tooltip = vscode.l10n.t(
      'This stored connection cannot be read ({0}). Delete it and add it again.',
      t(entry.broken),
    );
    return item;
  }

  #tooltip(config: ConnectionConfig, facts: ConnectionFacts, status: ConnectionStatus): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.supportHtml = false;
    const row = (label: string, value: string | undefined) =>
      value ? md.appendMarkdown(`**${label}:** `).appendText(value).appendMarkdown('  \n') : md;
    md.appendMarkdown(`**`)
      .appendText(config.name)
      .appendMarkdown(`** — ${statusLabel(status)}  \n`);
    row(vscode.l10n.t('Auth type'), authTypeLabel(config.authType));
    row(vscode.l10n.t('Environment'), environmentLabel(config.environment));
    if (config.endpoints) {
      row(vscode.l10n.t('Login host'), new URL(config.endpoints.loginEndpoint).host);
      row(vscode.l10n.t('Graph host'), new URL(config.endpoints.graphEndpoint).host);
    }
    row(vscode.l10n.t('Tenant'), config.tenant);
    row(vscode.l10n.t('Client'), clientIdOf(config));
    row(vscode.l10n.t('Account'), facts.account);
    row(vscode.l10n.t('Shared mailbox'), config.sharedMailbox);
    row(vscode.l10n.t('Credential'), credentialSummary(config));
    row(vscode.l10n.t('Scopes'), (facts.grantedScopes ?? this.#requested(config)).join(' ') || undefined);
    // What another extension names the connection by (`connection:<id>`).
    row(vscode.l10n.t('Connection ID'), config.id);
    if (facts.failure) {
      row(
        vscode.l10n.t('Problem'),
        `${t(facts.failure.message)}${facts.failure.code ? ` (${facts.failure.code})` : ''}`,
      );
    }
    row(vscode.l10n.t('Permission missing'), facts.permissionMissing?.join(', '));
    if (facts.lastTest) {
      row(
        vscode.l10n.t('Last test'),
        `${t(facts.lastTest.summary)} — ${new Date(facts.lastTest.at).toLocaleString(vscode.env.language)}`,
      );
    }
    return md;
  }

  #requested(config: ConnectionConfig): string[] {
    return 'scopes' in config ? graphPermissions(summarizeScopes(config.scopes)) : [];
  }

  #details(config: ConnectionConfig, facts: ConnectionFacts): TreeNode[] {
    const id = config.id;
    const nodes: TreeNode[] = [];
    const requested = facts.requestedScopes ? graphPermissions(facts.requestedScopes) : this.#requested(config);
    if (facts.grantedScopes) {
      const { missing } = compareScopes(requested, facts.grantedScopes);
      for (const scope of facts.grantedScopes) {
        nodes.push({
          kind: 'detail',
          id,
          key: `granted:${scope}`,
          label: scope,
          description: vscode.l10n.t('granted'),
          icon: new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed')),
        });
      }
      for (const scope of missing) {
        nodes.push({
          kind: 'detail',
          id,
          key: `missing:${scope}`,
          label: scope,
          description: vscode.l10n.t('missing'),
          icon: new vscode.ThemeIcon('close', new vscode.ThemeColor('list.errorForeground')),
          tooltip: vscode.l10n.t('Requested but not granted: an administrator may need to consent.'),
        });
      }
    } else {
      for (const scope of requested) {
        nodes.push({
          kind: 'detail',
          id,
          key: `requested:${scope}`,
          label: scope,
          description: vscode.l10n.t('requested'),
          icon: new vscode.ThemeIcon('key'),
        });
      }
    }
    nodes.push({
      kind: 'detail',
      id,
      key: 'environment',
      label: vscode.l10n.t('Environment'),
      description: environmentLabel(config.environment),
      icon: new vscode.ThemeIcon('globe'),
    });
    // The hosts a custom connection was pinned to: where its secrets and tokens go, whatever the settings say now.
    if (config.endpoints) {
      const pinned = vscode.l10n.t('Pinned when the connection was saved; Update Endpoints changes it.');
      nodes.push({
        kind: 'detail',
        id,
        key: 'loginHost',
        label: vscode.l10n.t('Login host'),
        description: new URL(config.endpoints.loginEndpoint).host,
        icon: new vscode.ThemeIcon('lock'),
        tooltip: pinned,
      });
      nodes.push({
        kind: 'detail',
        id,
        key: 'graphHost',
        label: vscode.l10n.t('Graph host'),
        description: new URL(config.endpoints.graphEndpoint).host,
        icon: new vscode.ThemeIcon('lock'),
        tooltip: pinned,
      });
    }
    if (this.routing.changeOf(id)) {
      nodes.unshift({
        kind: 'detail',
        id,
        key: 'updateEndpoints',
        label: vscode.l10n.t('Update Endpoints'),
        description: vscode.l10n.t('your settings name other endpoints'),
        icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
        command: { command: 'outlook365.updateEndpoints', title: vscode.l10n.t('Update Endpoints'), arguments: [id] },
      });
    }
    if (facts.account) {
      nodes.push({
        kind: 'detail',
        id,
        key: 'account',
        label: vscode.l10n.t('Account'),
        description: facts.account,
        icon: new vscode.ThemeIcon('account'),
      });
    }
    if (config.sharedMailbox) {
      nodes.push({
        kind: 'detail',
        id,
        key: 'sharedMailbox',
        label: vscode.l10n.t('Shared mailbox'),
        description: config.sharedMailbox,
        icon: new vscode.ThemeIcon('inbox'),
      });
    }
    if (facts.expiresOn) {
      nodes.push({
        kind: 'detail',
        id,
        key: 'expiry',
        label: vscode.l10n.t('Token'),
        description: t(expiryText(new Date(facts.expiresOn), new Date(), vscode.env.language)),
        icon: new vscode.ThemeIcon('clock'),
      });
    }
    const credential = credentialDetail(config);
    if (credential) nodes.push({ kind: 'detail', id, key: 'credential', ...credential });
    nodes.push(...checklistNodes(id, facts));
    return nodes;
  }

  dispose(): void {
    this.setVisible(false);
    for (const d of this.#disposables) d.dispose();
    this.#onDidChangeTreeData.dispose();
  }
}
