/**
 * The extension's settings, read where used (they can change at any time). The ones that decide where a
 * request goes (`customEnvironment`, `defaultPublicClientId`) are application-scoped in package.json and
 * read here from the user settings only (userSetting.ts); connections pin them at save (model/pinning.ts).
 */
import * as vscode from 'vscode';
import type { CustomEnvironmentSetting } from './model/clouds';
import { DEFAULT_PUBLIC_CLIENT_ID, type SignInMethod } from './model/connection';
import type { RoutingSettings } from './model/pinning';
import { requestTimeoutMsOf } from './engine/deadline';
import { isGuid } from './model/validate';
import { userLevelValue } from './userSetting';

export class Settings {
  readonly onDidChange: vscode.Event<void>;
  /** Settings whose workspace value was ignored and reported (once per window). */
  readonly #reported = new Set<string>();

  /** `onWorkspaceValueIgnored`: told once per setting that a workspace or folder tried to set it. */
  constructor(private readonly onWorkspaceValueIgnored: (key: string) => void = () => {}) {
    this.onDidChange = (listener, thisArg, disposables) =>
      vscode.workspace.onDidChangeConfiguration(
        (e) => {
          if (e.affectsConfiguration('outlook365')) listener.call(thisArg);
        },
        undefined,
        disposables,
      );
  }

  #section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('outlook365');
  }

  #userValue<T>(key: string): T | undefined {
    const { value, workspaceIgnored } = userLevelValue(this.#section().inspect<T>(key));
    if (workspaceIgnored && !this.#reported.has(key)) {
      this.#reported.add(key);
      this.onWorkspaceValueIgnored(`outlook365.${key}`);
    }
    return value;
  }

  /** The user's `outlook365.customEnvironment` (never a workspace's). */
  customEnvironment(): CustomEnvironmentSetting | undefined {
    return this.#userValue<CustomEnvironmentSetting>('customEnvironment') ?? undefined;
  }

  /** The user's `outlook365.defaultPublicClientId` (never a workspace's). */
  defaultPublicClientId(): string {
    const value = this.#userValue<string>('defaultPublicClientId');
    return value && isGuid(value) ? value : DEFAULT_PUBLIC_CLIENT_ID;
  }

  /**
   * The user's `outlook365.syncConnections` (never a workspace's: a folder someone else wrote must not send
   * the user's connection definitions to Settings Sync).
   */
  syncConnections(): boolean {
    return this.#userValue<boolean>('syncConnections') === true;
  }

  /** What a connection pins when saved, and what "Update Endpoints" compares with. */
  routing(): RoutingSettings {
    return { customEnvironment: this.customEnvironment(), defaultPublicClientId: this.defaultPublicClientId() };
  }

  signInTimeoutMs(): number {
    const minutes = this.#section().get<number>('signInTimeoutMinutes') ?? 5;
    return Math.min(Math.max(minutes, 1), 30) * 60 * 1000;
  }

  /** The deadline of every request to the login host and to Graph (application scope: a workspace cannot change it). */
  requestTimeoutMs(): number {
    return requestTimeoutMsOf(this.#section().get<number>('requestTimeoutSeconds'));
  }

  /** `auto`: the browser with a loopback redirect locally; device code in a remote window, where no local browser reaches the loopback port. */
  resolveSignInMethod(method: SignInMethod): 'browser' | 'deviceCode' {
    if (method !== 'auto') {
      return method;
    }
    return vscode.env.remoteName ? 'deviceCode' : 'browser';
  }
}
