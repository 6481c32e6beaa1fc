import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Outlook365Connection } from '../../api/outlook365';
import { usageSnippet } from '../../src/commands/usageSnippet';
import { ENVIRONMENT_IDS } from '../../src/model/clouds';
import { AUTH_TYPES } from '../../src/model/connection';
import { CONNECTION_STATUSES } from '../../src/engine/status';

const root = path.resolve(__dirname, '..', '..', '..');
const DTS = path.join(root, 'api', 'outlook365.d.ts');

/** The string literals of `export type <name> = 'a' | 'b' …` in the published declarations. */
function unionOf(source: string, name: string): string[] {
  const match = new RegExp(`export type ${name} =([^;]+);`).exec(source);
  assert.ok(match, `${name} is declared`);
  return [...match[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

describe('the API for other extensions (api/outlook365.d.ts)', () => {
  const source = readFileSync(DTS, 'utf8');

  // The implementation (src/consumerApi.ts) is typed by this file, so the compiler keeps its shape in
  // step; these keep the closed sets it names in step with the engine's.
  it('names exactly the auth types, environments and statuses the extension has', () => {
    assert.deepEqual(unionOf(source, 'Outlook365AuthType'), [...AUTH_TYPES]);
    assert.deepEqual(unionOf(source, 'Outlook365Environment'), [...ENVIRONMENT_IDS]);
    assert.deepEqual(unionOf(source, 'Outlook365ConnectionStatus'), [...CONNECTION_STATUSES]);
  });

  it('stands alone for consumers to copy: it imports only vscode’s types and compiles by itself', function () {
    this.timeout(30_000); // a whole type check of @types/vscode
    const imports = [...source.matchAll(/^import\b.*from '([^']+)';$/gm)].map((m) => m[1]);
    assert.deepEqual(imports, ['vscode']);
    const program = ts.createProgram([DTS], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: ['vscode'],
      typeRoots: [path.join(root, 'node_modules', '@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
  });

  it('has version 1 and no member that could hold a token or secret', () => {
    assert.match(source, /readonly version: 1;/);
    const members = [...source.matchAll(/^ {2}(?:readonly )?(\w+)[(:]/gm)].map((m) => m[1]);
    assert.ok(members.includes('grantedPermissions') && members.includes('onDidChangeConnections'), members.join(' '));
    for (const member of members) assert.doesNotMatch(member, /token|secret|password|certificate|credential/i);
  });
});

describe('Copy Usage Snippet', () => {
  const connection: Outlook365Connection = {
    id: '0b7c7c5e-1111-4222-8333-944444444444',
    name: 'Sales "EU"',
    authType: 'byoApp',
    environment: 'usGovL4',
    loginEndpoint: 'https://login.microsoftonline.us',
    graphEndpoint: 'https://graph.microsoft.us',
    tenant: 'contoso.us',
    mailbox: 'sales@contoso.us',
    requestedPermissions: ['Mail.Read', 'Mail.Read.Shared'],
    grantedPermissions: [],
    status: 'notSignedIn',
  };

  it('is TypeScript that compiles: getSession by id with the permissions, then Graph on the connection’s cloud and mailbox', () => {
    const snippet = usageSnippet(connection);
    assert.match(
      snippet,
      /getSession\('outlook365', \['connection:0b7c7c5e-1111-4222-8333-944444444444', 'Mail\.Read', 'Mail\.Read\.Shared'\], \{ createIfNone: true \}\)/,
    );
    assert.match(
      snippet,
      /fetch\('https:\/\/graph\.microsoft\.us\/v1\.0\/users\/sales%40contoso\.us\/mailFolders\/inbox\/messages\?\$top=10'/,
    );
    const program = `import * as vscode from 'vscode';\nexport async function use(): Promise<unknown> {\n${snippet}  return response.json();\n}\n`;
    const output = ts.transpileModule(program, {
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.CommonJS },
    });
    assert.deepEqual(
      output.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      [],
    );
  });

  it('app-only: no delegated permissions in the request; the user’s own mailbox is /me', () => {
    const appOnly = usageSnippet({ ...connection, authType: 'clientCredentials', mailbox: 'robot@contoso.us' });
    assert.match(appOnly, /\['connection:[^']+'\]/);
    assert.match(usageSnippet({ ...connection, mailbox: undefined }), /\/v1\.0\/me\/mailFolders/);
  });

  it('a name cannot break out of its comment', () => {
    const snippet = usageSnippet({ ...connection, name: 'x\u2028alert(1)\nrm' });
    assert.equal(
      snippet.split(/[\n\u2028\u2029]/)[0],
      '// Outlook 365 connection "x\\u2028alert(1)\\nrm": Microsoft Graph at https://graph.microsoft.us',
    );
  });
});
