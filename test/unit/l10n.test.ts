import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const script = (name: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'scripts', name), ...args], { encoding: 'utf8', timeout: 230_000 });
const english = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
const englishNls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

// These tests run the l10n scripts (and @vscode/l10n-dev) as processes: on a loaded 2-core machine with the
// other test stages beside them one run took 86 s, far past mocha's 30 s default.
describe('localization', function () {
  this.timeout(240_000);
  it('l10n/bundle.l10n.json holds every user-facing template of the extension, engine and form (@vscode/l10n-dev)', () => {
    const result = script('l10n.mjs', '--check');
    assert.equal(result.status, 0, result.stderr);
  });

  it('keys are the text the code produces at run time (a \\u2019 escape is ’, not "u2019")', () => {
    assert.ok('Stored \u2014 leave empty to keep' in english);
    assert.ok(!Object.keys(english).some((key) => /\bu20[0-9a-f]{2}/.test(key)));
  });

  it('every %key% of package.json has its text in package.nls.json', () => {
    const manifest = readFileSync(path.join(root, 'package.json'), 'utf8');
    const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 15);
    for (const key of keys) assert.ok(englishNls[key], `package.nls.json lacks ${key}`);
  });

  describe('user-facing literals outside the localization calls', () => {
    it('src/ has none beyond scripts/l10nAllow.json (whose entries all still exist)', () => {
      const result = script('l10nLiterals.mjs');
      assert.equal(result.status, 0, result.stderr);
    });

    it('the check finds notifications, quick pick items, tree tooltips, form labels and template text', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'l10n-literals-'));
      try {
        writeFileSync(
          path.join(dir, 'sample.ts'),
          [
            "import * as vscode from 'vscode';",
            "void vscode.window.showInformationMessage('Connection saved.');",
            "void vscode.window.showQuickPick([{ label: 'Sign in', description: vscode.l10n.t('Not reported') }]);",
            'item.tooltip = `Signed in as ${account}`;',
            "const LABELS = { name: 'Browser' };",
            'const view = html`<p class="lead">Hello there</p><vscode-textfield placeholder="Type a tenant"></vscode-textfield>${t(\'Fine here\')}`;',
            "log.info('auth', 'a log line stays English');",
            "if (kind === 'Some text') throw new Error(msg('Localized {x}', { x: 'Mail.Read' }).text);",
          ].join('\n'),
        );
        const result = script('l10nLiterals.mjs', dir);
        assert.equal(result.status, 1);
        const reported = [...result.stderr.matchAll(/ {2}"([^"]*)" {2}is user text/g)].map((m) => m[1]).sort();
        assert.deepEqual(reported, [
          'Browser',
          'Connection saved.',
          'Hello there',
          'Sign in',
          'Signed in as',
          'Type a tenant',
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('translations', () => {
    it('every language file present has every English key, the same placeholders, no empty and no English value', () => {
      const result = script('l10nLanguages.mjs');
      assert.equal(result.status, 0, result.stdout + result.stderr);
      if (/no translations yet/.test(result.stdout))
        console.log('      (no package.nls.<lang>.json or l10n/bundle.l10n.<lang>.json yet)');
    });

    function fixture(write: (dir: string) => void): ReturnType<typeof script> {
      const dir = mkdtempSync(path.join(tmpdir(), 'l10n-languages-'));
      try {
        mkdirSync(path.join(dir, 'l10n'));
        writeFileSync(path.join(dir, 'package.nls.json'), JSON.stringify(englishNls));
        writeFileSync(path.join(dir, 'l10n', 'bundle.l10n.json'), JSON.stringify(english));
        write(dir);
        return script('l10nLanguages.mjs', dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // A stand-in translation that is not English: every word replaced, placeholders kept.
    const pseudo = (text: string) =>
      text.replace(/\{[^{}]+\}|[A-Za-z]+/g, (w) => (w.startsWith('{') ? w : 'ü'.repeat(w.length)));
    const translate = (bundle: Record<string, string>) =>
      Object.fromEntries(Object.entries(bundle).map(([k, v]) => [k, pseudo(v)]));

    it('a complete language passes', () => {
      const result = fixture((dir) => {
        writeFileSync(path.join(dir, 'package.nls.de.json'), JSON.stringify(translate(englishNls)));
        writeFileSync(path.join(dir, 'l10n', 'bundle.l10n.de.json'), JSON.stringify(translate(english)));
      });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /bundle\.l10n\.de\.json: complete/);
    });

    it('an incomplete language fails, naming each missing key, lost placeholder, empty, English or unknown value', () => {
      const key = 'Connected as {0}; the token {1}.';
      const result = fixture((dir) => {
        const de = translate(english);
        delete de['Edit Outlook Connection'];
        de[key] = 'Verbunden als {0}; das Token.';
        de['Web'] = '';
        de['Copy'] = 'Copy';
        de['Stored u2014 leave empty to keep'] = 'Gespeichert';
        writeFileSync(path.join(dir, 'l10n', 'bundle.l10n.de.json'), JSON.stringify(de));
        const nls = translate(englishNls);
        delete nls.displayName;
        writeFileSync(path.join(dir, 'package.nls.ja.json'), JSON.stringify(nls));
      });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /bundle\.l10n\.de\.json: missing "Edit Outlook Connection"/);
      assert.match(result.stderr, /placeholders \{0\} instead of \{0\} \{1\} in "Connected as/);
      assert.match(result.stderr, /empty "Web"/);
      assert.match(result.stderr, /still English: "Copy"/);
      assert.match(result.stderr, /not in the English bundle \(stale or mistyped\): "Stored u2014/);
      assert.match(result.stderr, /package\.nls\.ja\.json: missing "displayName"/);
    });
  });
});
