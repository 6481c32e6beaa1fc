// No `vscode` here: the unit test that compares the list with package.json runs in plain Node.

/** Every command of package.json's `contributes.commands` (a unit test compares the two). */
export const COMMAND_IDS = [
  'outlook365.addConnection',
  'outlook365.editConnection',
  'outlook365.editConnectionWithPermission',
  'outlook365.deleteConnection',
  'outlook365.duplicateConnection',
  'outlook365.renameConnection',
  'outlook365.renameSelectedConnection',
  'outlook365.signIn',
  'outlook365.signInWithAnotherAccount',
  'outlook365.signOut',
  'outlook365.refreshToken',
  'outlook365.testConnection',
  'outlook365.copyAccessToken',
  'outlook365.showTokenClaims',
  'outlook365.copyAdminConsentLink',
  'outlook365.copyRedirectUri',
  'outlook365.copyDiagnostics',
  'outlook365.updateEndpoints',
  'outlook365.copyConnectionId',
  'outlook365.copyUsageSnippet',
  'outlook365.exportConnections',
  'outlook365.importConnections',
  'outlook365.showLog',
] as const;
