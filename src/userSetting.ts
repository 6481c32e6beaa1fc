/**
 * The user-level value of a setting from `WorkspaceConfiguration.inspect()`: the user settings, else the
 * default. Workspace and folder values are never taken, even where VS Code would hand them over (an older
 * VS Code, a scope changed in a later manifest): settings that decide where secrets go must not be set by
 * a folder someone else wrote. No `vscode` import, so the unit tests can check it.
 */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export function userLevelValue<T>(inspected: InspectedSetting<T> | undefined): {
  value: T | undefined;
  workspaceIgnored: boolean;
} {
  return {
    value: inspected?.globalValue ?? inspected?.defaultValue,
    workspaceIgnored: inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined,
  };
}
