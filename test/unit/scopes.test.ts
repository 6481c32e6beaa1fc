import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../src/model/clouds';
import {
  appOnlyScope,
  compareScopes,
  DELEGATED_OUTLOOK_SCOPES,
  parseScopeText,
  presetById,
  resolveDelegatedScopes,
  scopeProblem,
  summarizeScopes,
} from '../../src/model/scopes';

describe('scopes', () => {
  it('presets hold the scopes DESIGN.md lists', () => {
    assert.deepEqual(presetById('minimal').scopes, ['openid', 'offline_access', 'Mail.Read']);
    assert.deepEqual(presetById('sharedMailbox').scopes, ['openid', 'offline_access', 'Mail.Read', 'Mail.Read.Shared']);
    assert.ok(presetById('calendar').scopes.includes('Calendars.Read'));
    assert.ok(presetById('sharedCalendar').scopes.includes('Calendars.Read.Shared'));
    assert.deepEqual(presetById('everything').scopes, [...DELEGATED_OUTLOOK_SCOPES]);
    assert.equal(DELEGATED_OUTLOOK_SCOPES.length, 16);
    assert.deepEqual(presetById('custom').scopes, []);
  });

  it('the permission summary is the de-duplicated union of preset and additional scopes', () => {
    assert.deepEqual(
      summarizeScopes({
        preset: 'minimal',
        additional: ['mail.read', 'Mail.Send', 'https://graph.microsoft.com/Contacts.Read'],
      }),
      ['openid', 'offline_access', 'Mail.Read', 'Mail.Send', 'Contacts.Read'],
    );
  });

  it('Graph scopes are qualified with the cloud’s Graph host, OIDC scopes are not', () => {
    const gcc = resolveEnvironment('usGovL4');
    assert.deepEqual(resolveDelegatedScopes({ preset: 'minimal', additional: [] }, gcc), [
      'openid',
      'offline_access',
      'https://graph.microsoft.us/Mail.Read',
    ]);
    assert.equal(appOnlyScope(resolveEnvironment('china')), 'https://microsoftgraph.chinacloudapi.cn/.default');
  });

  const problems: [string, string | undefined, boolean][] = [
    ['Mail.Read', undefined, false],
    ['User.Read.All', undefined, false],
    ['https://graph.microsoft.com/Mail.Send', 'https://graph.microsoft.com', false],
    ['https://graph.microsoft.us/Mail.Send', 'https://graph.microsoft.com', true],
    ['http://graph.microsoft.com/Mail.Send', 'https://graph.microsoft.com', true],
    ['Mail Read', undefined, true],
    ['Mail.Read;', undefined, true],
    ['1Mail', undefined, true],
    ['https://graph.microsoft.com/', 'https://graph.microsoft.com', true],
  ];
  for (const [scope, graph, bad] of problems) {
    it(`"${scope}" on ${graph ?? 'any cloud'} is ${bad ? 'refused' : 'accepted'}`, () => {
      assert.equal(!!scopeProblem(scope, graph), bad);
    });
  }

  it('free text splits on spaces, commas and semicolons', () => {
    assert.deepEqual(parseScopeText(' Mail.Send,Contacts.Read ;  User.Read\n'), [
      'Mail.Send',
      'Contacts.Read',
      'User.Read',
    ]);
  });

  it('compares requested with granted, case-insensitively, ignoring OIDC scopes', () => {
    const requested = [
      'openid',
      'offline_access',
      'https://graph.microsoft.com/Mail.Read',
      'https://graph.microsoft.com/Mail.Send',
    ];
    assert.deepEqual(compareScopes(requested, ['mail.read', 'User.Read']), {
      granted: ['mail.read', 'User.Read'],
      missing: ['Mail.Send'],
    });
  });
});
