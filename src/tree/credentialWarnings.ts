/**
 * Warns, at most once a day per connection, that its certificate or client secret expires within 30 days
 * (or has expired, or is not valid yet). The last day warned is kept per connection in globalState (a
 * day, not a secret) so a reload or another window the same day says nothing again. Checked at start,
 * when connections change, and every hour while VS Code runs.
 */
import * as vscode from 'vscode';
import type { ConnectionsView } from '../connections/connectionStore';
import { isBroken } from '../model/storedConnection';
import type { ConnectionConfig } from '../model/connection';
import { credentialState, credentialValidity, daysLeft } from '../model/credentialExpiry';
import { dayText, unitFormat } from '../engine/status';

const WARNED_KEY = 'outlook365.credentialWarned';
const CHECK_EVERY_MS = 60 * 60 * 1000;

export type ShowWarning = (message: string, ...items: string[]) => Thenable<string | undefined>;

export class CredentialWarnings implements vscode.Disposable {
  /** The clock and the notification; the in-editor tests replace both. */
  now: () => Date = () => new Date();
  show: ShowWarning = (message, ...items) => vscode.window.showWarningMessage(message, ...items);
  readonly #timer: NodeJS.Timeout;
  readonly #subscription: vscode.Disposable;

  constructor(
    private readonly connections: ConnectionsView,
    private readonly state: vscode.Memento,
    private readonly edit: (id: string) => void,
  ) {
    this.#timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.#subscription = connections.onDidChange(() => void this.check());
  }

  /** Shows what is due today; resolves once the days warned are written (not when the user answers). */
  async check(): Promise<void> {
    const now = this.now();
    // The user's own day: "once a day" as the user counts days.
    const today = `${now.getFullYear()}-${now.getMonth() + 1}-${now.getDate()}`;
    const warned = { ...this.state.get<Record<string, string>>(WARNED_KEY, {}) };
    const due: ConnectionConfig[] = [];
    for (const entry of this.connections.list()) {
      if (isBroken(entry) || warned[entry.id] === today) continue;
      const validity = credentialValidity(entry);
      if (validity && credentialState(validity, now) !== 'valid') due.push(entry);
    }
    if (due.length === 0) return;
    const ids = new Set(this.connections.list().map((e) => e.id));
    for (const id of Object.keys(warned)) if (!ids.has(id)) delete warned[id]; // deleted connections
    for (const config of due) warned[config.id] = today;
    await this.state.update(WARNED_KEY, warned);
    for (const config of due) void this.#warn(config, now);
  }

  async #warn(config: ConnectionConfig, now: Date): Promise<void> {
    const editAction = vscode.l10n.t('Edit Connection');
    const choice = await this.show(warningText(config, now), editAction);
    if (choice === editAction) this.edit(config.id);
  }

  dispose(): void {
    clearInterval(this.#timer);
    this.#subscription.dispose();
  }
}

function warningText(config: ConnectionConfig, now: Date): string {
  const validity = credentialValidity(config)!;
  const locale = vscode.env.language;
  const day = dayText(validity.notAfter, locale);
  const certificate = validity.kind === 'certificate';
  switch (credentialState(validity, now)) {
    case 'notYetValid':
      return vscode.l10n.t(
        'The certificate of "{0}" is not valid before {1}. Check this computer\u2019s clock, or choose a certificate that is valid now with Edit Connection.',
        config.name,
        dayText(validity.notBefore!, locale),
      );
    case 'expired':
      return certificate
        ? vscode.l10n.t(
            'The certificate of "{0}" expired on {1}: the connection cannot sign in. Create a new certificate, upload its .cer to the app registration and choose its .pfx with Edit Connection.',
            config.name,
            day,
          )
        : vscode.l10n.t(
            'The client secret of "{0}" expired on {1}: the connection cannot sign in. Create a new secret in Microsoft Entra ID and enter its value and expiry date with Edit Connection.',
            config.name,
            day,
          );
    default: {
      const left = unitFormat(locale, 'day').format(daysLeft(validity, now));
      return certificate
        ? vscode.l10n.t(
            'The certificate of "{0}" expires on {1} (in {2}). Create a new certificate, upload its .cer to the app registration and choose its .pfx with Edit Connection.',
            config.name,
            day,
            left,
          )
        : vscode.l10n.t(
            'The client secret of "{0}" expires on {1} (in {2}). Create a new secret in Microsoft Entra ID and enter its value and expiry date with Edit Connection.',
            config.name,
            day,
            left,
          );
    }
  }
}
