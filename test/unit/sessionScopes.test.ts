/**
 * The scopes a caller passes to `vscode.authentication.getSession('outlook365', scopes)`, turned into a
 * request once (src/auth/sessionScopes.ts), and whether a connection's granted permissions cover it.
 */
import * as assert from 'node:assert/strict';
import { CONNECTION_SCOPE_PREFIX, covers, parseSessionScopes, type SessionRequest } from '../../src/auth/sessionScopes';

describe('session scopes', () => {
  const parses: [string, readonly string[] | undefined, SessionRequest][] = [
    ['no scopes at all', undefined, { permissions: [] }],
    ['an empty list', [], { permissions: [] }],
    ['the connection pseudo-scope alone', ['connection:abc-123'], { connectionId: 'abc-123', permissions: [] }],
    [
      'a connection and permissions, sorted',
      ['Mail.Send', 'connection:c1', 'Mail.Read'],
      { connectionId: 'c1', permissions: ['Mail.Read', 'Mail.Send'] },
    ],
    ['permissions without a connection', ['User.Read', 'Mail.Read'], { permissions: ['Mail.Read', 'User.Read'] }],
    [
      'OIDC scopes are not permissions, in any case',
      ['openid', 'PROFILE', 'Email', 'offline_access', 'Mail.Read'],
      { permissions: ['Mail.Read'] },
    ],
    [
      'a resource-qualified scope becomes its short name',
      ['https://graph.microsoft.com/Mail.Read', 'https://graph.microsoft.us/Mail.Send'],
      { permissions: ['Mail.Read', 'Mail.Send'] },
    ],
    ['`/.default` asks for no particular permission', ['https://graph.microsoft.com/.default'], { permissions: [] }],
    [
      'the same permission twice (short and qualified) once',
      ['Mail.Read', 'https://graph.microsoft.com/Mail.Read'],
      { permissions: ['Mail.Read'] },
    ],
    // Names keep the caller's case here; `covers` compares them case-insensitively.
    ['differently cased names are both kept', ['mail.read', 'Mail.Read'], { permissions: ['Mail.Read', 'mail.read'] }],
    ['an empty connection id is no connection', ['connection:', 'Mail.Read'], { permissions: ['Mail.Read'] }],
    [
      'of two connection pseudo-scopes the last one counts',
      ['connection:a', 'connection:b'],
      { connectionId: 'b', permissions: [] },
    ],
    [
      'the prefix is case-sensitive: `Connection:x` is a permission name',
      ['Connection:x'],
      { permissions: ['Connection:x'] },
    ],
    [
      'a connection id keeps everything after the prefix',
      ['connection:a:b/c'],
      { connectionId: 'a:b/c', permissions: [] },
    ],
  ];
  for (const [name, scopes, expected] of parses) {
    it(`parses ${name}`, () => {
      assert.deepEqual(parseSessionScopes(scopes), expected);
    });
  }

  it('the prefix is the one the README tells other extensions to pass', () => {
    assert.equal(CONNECTION_SCOPE_PREFIX, 'connection:');
  });

  it('does not change the array it was given', () => {
    const scopes = Object.freeze(['Mail.Send', 'connection:c1', 'Mail.Read']);
    parseSessionScopes(scopes);
    assert.deepEqual(scopes, ['Mail.Send', 'connection:c1', 'Mail.Read']);
  });

  const coverage: [string, string[], string[], boolean][] = [
    ['nothing requested', ['Mail.Read'], [], true],
    ['nothing requested of nothing granted', [], [], true],
    ['the requested permission granted', ['Mail.Read', 'User.Read'], ['Mail.Read'], true],
    ['every requested permission granted', ['Mail.Read', 'Mail.Send'], ['Mail.Send', 'Mail.Read'], true],
    ['granted in another case', ['mail.read'], ['Mail.Read'], true],
    ['requested in another case', ['Mail.Read'], ['MAIL.READ'], true],
    ['one of two missing', ['Mail.Read'], ['Mail.Read', 'Mail.Send'], false],
    ['nothing granted', [], ['Mail.Read'], false],
    ['a broader-sounding grant is not another permission', ['Mail.ReadWrite'], ['Mail.Read'], false],
    ['a shared permission does not cover the own-mailbox one', ['Mail.Read.Shared'], ['Mail.Read'], false],
  ];
  for (const [name, granted, requested, expected] of coverage) {
    it(`covers: ${name} → ${expected}`, () => {
      assert.equal(covers(granted, requested), expected);
    });
  }
});
