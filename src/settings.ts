/** The extension's settings, read where used (they can change at any time). */
import * as vscode from 'vscode';
import type { CustomEnvironmentSetting } from './engine/clouds';
import { DEFAULT_PUBLIC_CLIENT_ID, type SignInMethod } from './engine/connection';
import { requestTimeoutMsOf } from './engine/deadline';
import { isGuid } from './engine/validate';

export class Settings {
  readonly onDidChange: vscode.Event<void>;

  constructor() {
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

  customEnvironment(): CustomEnvironmentSetting | undefined {
    return this.#section().get<CustomEnvironmentSetting>('customEnvironment') ?? undefined;
  }

  defaultPublicClientId(): string {
    const value = this.#section().get<string>('defaultPublicClientId');
    return value && isGuid(value) ? value : DEFAULT_PUBLIC_CLIENT_ID;
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
