/**
 * What the runner (scripts/test-editor.mjs) and the phases of the consumer suite hand each other, in the
 * folder named by OUTLOOK365_CONSUMER_DIR: the emulator's endpoints (runner), the seeded connections
 * (seed), counts taken at the end of a phase, the dialogs and quick picks the runner saw (runner), and each
 * phase's report and exit code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ConsumerState {
  loginEndpoint: string;
  graphEndpoint: string;
  connectionId?: string;
  connectionName?: string;
  /** A second signed-in connection (same user), seeded after the first: second in the Connections view. */
  secondConnectionId?: string;
  secondConnectionName?: string;
  /** Token requests the emulator had seen when the first window's phase ended. */
  tokenRequestsAtEnd?: number;
}

export function stateDir(): string {
  const dir = process.env.OUTLOOK365_CONSUMER_DIR;
  if (!dir) throw new Error('OUTLOOK365_CONSUMER_DIR is not set');
  return dir;
}

export function readState(): ConsumerState {
  return JSON.parse(fs.readFileSync(path.join(stateDir(), 'state.json'), 'utf8')) as ConsumerState;
}

export function updateState(values: Partial<ConsumerState>): void {
  fs.writeFileSync(path.join(stateDir(), 'state.json'), JSON.stringify({ ...readState(), ...values }));
}

interface RequestRecord {
  host: 'login' | 'graph';
  path: string;
  grantType?: string;
  scope?: string;
}

/** The emulator's request log, over its control API (the same HTTPS host as the login endpoints). */
export async function emulatorRequests(): Promise<RequestRecord[]> {
  const response = await fetch(`${readState().loginEndpoint}/_emulator/requests`, {
    signal: AbortSignal.timeout(15_000),
  });
  return (await response.json()) as RequestRecord[];
}

export async function emulatorControl(action: string, body: unknown): Promise<void> {
  const response = await fetch(`${readState().loginEndpoint}/_emulator/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`emulator control ${action}: ${response.status}`);
}

/** GET /v1.0/me/mailFolders/inbox (needs Mail.Read) on the emulator's Graph: it verifies signature, audience and expiry of the token. */
export async function graphStatus(accessToken: string): Promise<number> {
  const response = await fetch(`${readState().graphEndpoint}/v1.0/me/mailFolders/inbox`, {
    headers: { Authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/** A modal dialog the runner answered in this window, as a person at the screen: what it said, and the button. */
export interface AnsweredDialog {
  text: string;
  button: string;
}

/** Every dialog the runner answered so far (all windows), oldest first. */
export function answeredDialogs(): AnsweredDialog[] {
  return runnerLog<AnsweredDialog>('dialogs.jsonl');
}

/** A quick pick the runner saw in this window (then dismissed with Escape): its title and its items. */
export interface SeenQuickPick {
  title: string;
  items: string[];
}

/**
 * Every quick pick the runner saw so far (all windows), oldest first. The consumer's requests never need
 * one: VS Code's account picker among connections is what the provider's single-account registration rules out.
 */
export function seenQuickPicks(): SeenQuickPick[] {
  return runnerLog<SeenQuickPick>('quickPicks.jsonl');
}

/**
 * How the runner answers the provider's "A command asked to copy the access token" question: Cancel (a
 * person who did not start the copy) unless the suite plays the person who did (`'Continue'`).
 */
export function answerTokenQuestionWith(button: 'Continue' | undefined): void {
  const file = path.join(stateDir(), 'tokenQuestionAnswer');
  if (button) fs.writeFileSync(file, button);
  else fs.rmSync(file, { force: true });
}

/** One of the runner's JSON-lines logs in the state folder, complete lines only (it may be appending one now). */
function runnerLog<T>(name: string): T[] {
  const file = path.join(stateDir(), name);
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
  return lines.filter(Boolean).map((line) => JSON.parse(line) as T);
}
