import * as vscode from 'vscode';
import { EXPORT_SCHEMA_SCHEME } from '../model/connectionExport';

/** Serves the export's `$schema` from the schema the extension ships (connectionExport.ts says why not https). */
export function registerExportSchema(extensionUri: vscode.Uri): vscode.Disposable {
  const schemaFile = vscode.Uri.joinPath(extensionUri, 'media', 'schemas', 'connections-export.schema.json');
  return vscode.workspace.registerTextDocumentContentProvider(EXPORT_SCHEMA_SCHEME, {
    provideTextDocumentContent: async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(schemaFile)),
  });
}
