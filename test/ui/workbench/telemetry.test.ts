/**
 * Telemetry on, for real: what reaches the Application Insights ingestion that the build names.
 *
 * A local collector (test/sandbox/telemetryCollector.ts) stands in for ingestion; the extension is
 * bundled into a copy of its folder with OUTLOOK365_TELEMETRY_CONNECTION_STRING naming that collector
 * as IngestionEndpoint, exactly as a publisher's build gets its own. code-server starts without
 * --disable-telemetry (with it `vscode.env.isTelemetryEnabled` is false whatever the user chose) and the
 * user's `telemetry.telemetryLevel` is `all`.
 *
 * Why a workbench driven like a person and not the extension test runner: VS Code keeps the telemetry of
 * every extension in "logging only" mode when it runs extension tests (`isExtensionTelemetryLoggingOnly`
 * is true whenever `extensionTestsLocationURI` is set: events go to the log, never to a sender; `isLoggingOnly`
 * in https://github.com/microsoft/vscode/blob/1.100.3/src/vs/platform/telemetry/common/telemetryUtils.ts,
 * the same in code-server 4.100.3's workbench.js), so an in-editor suite can never see an event leave.
 * Here the extension runs as in development, as a user's, and the test drives it like a person.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { AUTH_TYPE_TABLE } from '../../../src/model/authTypes';
import { ensureTestCa } from '../../sandbox/certs';
import { DEFAULT_USERS, startEmulator, type Emulator } from '../../sandbox/emulator';
import {
  startTelemetryCollector,
  type TelemetryCollector,
  type TelemetryEnvelope,
} from '../../sandbox/telemetryCollector';
import {
  ROOT,
  WorkbenchDriver,
  chooseOption,
  importScript,
  openWorkbench,
  until,
  type OpenedWorkbench,
} from './driver';

const ADELE = DEFAULT_USERS.find((u) => u.upn === 'adele@contoso.test')!;
const CC_APP = 'c0ffee00-0000-4000-8000-00000000fe01';
const CC_SECRET = 'cc-secret-fe01-value';
const WRONG_SECRET = 'not-the-secret-fe01';
const MAILBOX = 'support@contoso.test';
const SANDBOX_LABEL = 'Custom endpoints: Sandbox';
const EXTENSION_ID = 'outlook365-connections.outlook365-connections';

const CLOSED_SETS: Record<string, RegExp> = {
  operation: /^(signIn|refresh|test|add|edit|delete|signOut)$/,
  authType: /^(authCode|byoApp|clientCredentials|clientCertificate|ropc)$/,
  environment: /^(global|usGovL4|usGovL5|china|custom)$/,
  result: /^(ok|cancelled|failed)$/,
  errorCode: /^(AADSTS\d+|HTTP\d+|[a-zA-Z]+)$/,
};

const eventName = (e: TelemetryEnvelope) => e.data?.baseData?.name ?? '';
const props = (e: TelemetryEnvelope) => e.data?.baseData?.properties ?? {};
const count = (envelopes: TelemetryEnvelope[], operation: string, result?: string) =>
  envelopes.filter((e) => props(e).operation === operation && (!result || props(e).result === result)).length;

describe('VS Code workbench with telemetry on: only closed-set properties reach the ingestion the build names', function () {
  this.timeout(60_000);
  const screenshotsDir = path.join(ROOT, 'test-results', 'ui', 'telemetry');
  let emulator: Emulator | undefined;
  let collector: TelemetryCollector | undefined;
  let workbench: OpenedWorkbench | undefined;
  let wb: WorkbenchDriver;
  let sandboxDir = '';
  let broken = false;
  const log = (line: string) => console.log(`      [telemetry] ${line}`);

  before(async function () {
    this.timeout(240_000);
    sandboxDir = mkdtempSync(path.join(os.tmpdir(), 'outlook365-ui-telemetry-'));
    emulator = await startEmulator({ quiet: true });
    emulator.addApp({
      clientId: CC_APP,
      publicClient: false,
      secrets: [CC_SECRET],
      redirectUris: [],
      appRoles: ['Mail.Read'],
    });
    collector = await startTelemetryCollector();

    // The publisher's build, with a connection string naming the collector.
    const extensionDir = path.join(sandboxDir, 'extension');
    mkdirSync(extensionDir);
    for (const entry of readdirSync(ROOT).filter(
      (f) => f === 'package.json' || /^package\.nls(\..+)?\.json$/.test(f) || f === 'l10n' || f === 'media',
    )) {
      cpSync(path.join(ROOT, entry), path.join(extensionDir, entry), { recursive: true });
    }
    const build = spawnSync(process.execPath, ['esbuild.mjs', '--outdir', path.join(extensionDir, 'dist')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        OUTLOOK365_TELEMETRY_CONNECTION_STRING: `InstrumentationKey=${randomUUID()};IngestionEndpoint=${collector.url}`,
      },
    });
    assert.equal(build.status, 0, `the telemetry build failed: ${build.stderr}`);
    assert.match(build.stdout, /telemetry on/);

    const customEnvironment = {
      name: 'Sandbox',
      loginEndpoint: emulator.loginEndpoint,
      graphEndpoint: emulator.graphEndpoint,
    };
    // As in story.ts: a remote window reads this machine-overridable setting from the remote's settings.
    mkdirSync(path.join(sandboxDir, 'user-data', 'Machine'), { recursive: true });
    // The test CA's trust settings too: the remote extension host applies http.* settings from there as well.
    const { TRUST_NODE_CA_SETTINGS } = await importScript<{ TRUST_NODE_CA_SETTINGS: Record<string, unknown> }>(
      'scripts/codeServer/server.mjs',
    );
    writeFileSync(
      path.join(sandboxDir, 'user-data', 'Machine', 'settings.json'),
      `${JSON.stringify({ ...TRUST_NODE_CA_SETTINGS, 'outlook365.customEnvironment': customEnvironment }, null, '\t')}\n`,
    );
    workbench = await openWorkbench({
      extensionDevelopmentPath: extensionDir,
      sandboxDir,
      keepSandbox: true,
      telemetry: true,
      env: {
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS || ensureTestCa().caCertPath,
        // code-server's own telemetry (its workbench sends some when telemetry is on) stays here too.
        CS_TELEMETRY_URL: new URL('code-server', collector.url).href,
      },
      settings: { 'outlook365.customEnvironment': customEnvironment, 'telemetry.telemetryLevel': 'all' },
      print: (line) => log(line),
    });
    wb = new WorkbenchDriver(workbench.page, workbench.context, screenshotsDir);
  });

  after(async function () {
    this.timeout(60_000);
    await workbench?.stop();
    await collector?.stop();
    await emulator?.stop();
    if (broken) log(`user data, code-server and extension host logs kept in ${sandboxDir}`);
    else if (sandboxDir) rmSync(sandboxDir, { recursive: true, force: true });
  });

  beforeEach(function () {
    if (broken) this.skip();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      broken = true;
      await wb
        ?.screenshot(`FAILED-${this.currentTest.title.replace(/[^\w]+/g, '-').slice(0, 60)}`)
        .catch(() => undefined);
    }
  });

  /** The extension's "Outlook 365" log as written to disk by the extension host. */
  function extensionLog(): string {
    const logs = path.join(sandboxDir, 'user-data', 'logs');
    if (!existsSync(logs)) return '';
    return readdirSync(logs, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(path.join(EXTENSION_ID, 'Outlook 365.log')))
      .map((f) => readFileSync(path.join(logs, f), 'utf8'))
      .join('\n');
  }

  /**
   * The user's level, changed the way a person does it: the Settings editor. (Rewriting settings.json
   * behind the workbench's back is not picked up by code-server's window.)
   */
  async function setLevel(level: 'all' | 'off'): Promise<void> {
    const heard = () => (extensionLog().match(new RegExp(`telemetry ${level}$`, 'gm')) ?? []).length;
    const before = heard();
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Preferences: Open User Settings');
    const editor = wb.page.locator('.settings-editor');
    await editor.waitFor({ state: 'visible' });
    await editor.locator('.settings-header .suggest-input-container').click();
    await wb.page.keyboard.type('telemetry.telemetryLevel');
    const select = editor
      .locator(
        '.setting-item-enumeration[data-key="telemetry.telemetryLevel"] select, .setting-item-contents:has(.setting-item-label:text("Telemetry Level")) select',
      )
      .first();
    await select.waitFor({ state: 'visible', timeout: 30_000 });
    await select.selectOption({ label: level });
    await wb.screenshot(`settings-telemetry-${level}`);
    // The extension logs every level change it hears from VS Code.
    await until(() => heard() > before, `the extension to hear "telemetry ${level}"`, 30_000);
  }

  /** Adds a client-credentials connection through the form and waits for its sign-in to end. */
  async function connect(name: string, secret: string, expect: 'success' | 'error'): Promise<void> {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Outlook: Add Connection');
    const form: Frame = await wb.formFrame('Add Outlook Connection');
    await chooseOption(form, 'field-authType', AUTH_TYPE_TABLE.clientCredentials.label.text);
    await form.locator('#field-name input').fill(name);
    await chooseOption(form, 'field-environment', SANDBOX_LABEL);
    await form.locator('#field-clientId input').fill(CC_APP);
    await form.locator('#field-clientSecret input').fill(secret);
    await form.locator('#field-tenant input').fill('contoso.test');
    await form.locator('#field-account input').fill(ADELE.upn);
    await form.locator('#field-sharedMailbox input').fill(MAILBOX);
    await form.locator('#connect').click();
    await form.locator(`#status.status-${expect}`).waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot(`connect-${name.replace(/\W+/g, '-')}`);
  }

  async function waitForEnvelopes(
    predicate: (envelopes: TelemetryEnvelope[]) => boolean,
    what: string,
  ): Promise<TelemetryEnvelope[]> {
    // Application Insights sends in batches (every 15 s by default).
    await until(() => predicate(collector!.received.envelopes), what, 90_000);
    return collector!.received.envelopes;
  }

  it('1. with the user’s level "all", sign-ins that succeed and fail arrive with auth type, environment, result, error code and duration, and nothing else of ours', async function () {
    this.timeout(180_000);
    await wb.waitForExtension('Outlook 365');
    await connect('Telemetry app', CC_SECRET, 'success');
    await connect('Wrong secret', WRONG_SECRET, 'error');
    assert.match(extensionLog(), /telemetry all$/m, 'the extension saw telemetry on');
    const envelopes = await waitForEnvelopes(
      (all) => count(all, 'signIn', 'failed') > 0 && count(all, 'signIn', 'ok') > 0,
      'both sign-ins at the collector',
    );

    assert.ok(
      envelopes.some((e) => eventName(e).endsWith('/activated')),
      'activation arrived',
    );
    assert.equal(count(envelopes, 'add'), 2);
    const failed = envelopes.find((e) => props(e).result === 'failed')!;
    assert.deepEqual(
      {
        ...props(failed),
        ...Object.fromEntries(
          Object.keys(props(failed))
            .filter((k) => k.startsWith('common.'))
            .map((k) => [k, undefined]),
        ),
      },
      {
        ...Object.fromEntries(
          Object.keys(props(failed))
            .filter((k) => k.startsWith('common.'))
            .map((k) => [k, undefined]),
        ),
        operation: 'signIn',
        authType: 'clientCredentials',
        environment: 'custom',
        result: 'failed',
        errorCode: 'AADSTS7000215',
      },
    );
    for (const e of envelopes) {
      assert.match(
        eventName(e),
        new RegExp(`^${EXTENSION_ID.replace(/\./g, '\\.')}/(operation|activated)$`),
        'only our two events',
      );
      for (const [key, value] of Object.entries(props(e))) {
        // VS Code's common properties (extension, VS Code and OS versions, its pseudonymous machine and
        // session ids) come with every extension's telemetry; everything else must be a closed set.
        if (key.startsWith('common.')) continue;
        assert.ok(CLOSED_SETS[key]?.test(value), `property ${key}=${value} is not in its closed set`);
      }
      const measurements = Object.keys(e.data?.baseData?.measurements ?? {}).sort();
      assert.deepEqual(
        measurements,
        eventName(e).endsWith('/activated') ? ['connectionCount', 'durationMs'] : ['durationMs'],
      );
    }
    const raw = collector!.received.bodies.join('\n');
    for (const needle of [
      CC_SECRET,
      WRONG_SECRET,
      ADELE.upn,
      ADELE.password,
      MAILBOX,
      'contoso.test',
      CC_APP,
      'Telemetry app',
      'Wrong secret',
      'eyJ',
    ]) {
      assert.ok(!raw.includes(needle), `"${needle}" reached the collector`);
    }
    log(
      `common properties: ${Object.keys(props(envelopes[0]))
        .filter((k) => k.startsWith('common.'))
        .join(', ')}`,
    );
  });

  it('2. nothing is sent while the user’s level is "off"; after it is back on, events arrive again', async function () {
    this.timeout(240_000);
    await setLevel('off');
    await connect('While off', CC_SECRET, 'success');
    await setLevel('all');
    // A marker after the off period: once it has arrived, anything sent before it has too.
    await connect('Marker', CC_SECRET, 'success');
    const envelopes = await waitForEnvelopes((all) => count(all, 'add') >= 3, 'the marker connection at the collector');
    assert.equal(count(envelopes, 'add'), 3, 'the connection added while telemetry was off was not reported');
    assert.equal(count(envelopes, 'signIn', 'ok'), 2, 'its sign-in was not reported');
    // code-server's own workbench telemetry (sent when it runs without --disable-telemetry) came here too,
    // through CS_TELEMETRY_URL, instead of leaving the machine.
    log(`code-server's own telemetry posts kept local: ${collector!.received.other.length}`);
  });

  // The reporter and the Application Insights SDK are loaded only once the user's telemetry is on
  // (src/telemetry.ts): a window that starts with "off" loads them when the user turns it on.
  it('3. in a window opened with the level "off", events arrive once the user turns it on', async function () {
    this.timeout(240_000);
    await setLevel('off');
    const heardOff = () => (extensionLog().match(/telemetry off$/gm) ?? []).length;
    const before = heardOff();
    await wb.page.reload(); // a fresh window: new renderer, new extension host
    await wb.waitForExtension('Outlook 365');
    await connect('Off at start', CC_SECRET, 'success');
    await until(() => heardOff() > before, 'the new window\'s extension to log "telemetry off"', 30_000);
    await setLevel('all');
    await connect('Marker in the new window', CC_SECRET, 'success');
    const envelopes = await waitForEnvelopes((all) => count(all, 'add') >= 4, 'the new marker at the collector');
    assert.equal(count(envelopes, 'add'), 4, 'the connection added while telemetry was off was not reported');
    assert.equal(count(envelopes, 'signIn', 'ok'), 3, 'its sign-in was not reported');
  });
});
