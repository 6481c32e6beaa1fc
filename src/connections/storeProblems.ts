/**
 * What the stores report about their files (storedFile.ts), turned into a log line and, where the user must
 * know (data kept aside, data of a newer version left read-only), one warning per file and window.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../log';
import { describeProblem, type StoreProblem } from './storedFile';

export function storeProblemReporter(
  log: Log,
  warn: (message: string) => void = (m) => void vscode.window.showWarningMessage(m),
): {
  report: (problem: StoreProblem) => void;
  keptAsideInGlobalState: (key: string, keptAs: string) => void;
} {
  const warned = new Set<string>();
  const once = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    warn(message);
  };
  return {
    report: (problem) => {
      log.warn('store', describeProblem(problem));
      const name = path.basename(problem.file);
      if (problem.kind === 'keptAside') {
        warned.delete(`newerVersion ${problem.file}`);
        warn(
          vscode.l10n.t(
            '{0} of the Outlook 365 connections was damaged. It was kept aside as {1}; the extension goes on without it.',
            name,
            problem.keptAs,
          ),
        );
      } else if (problem.kind === 'newerVersion') {
        once(
          `newerVersion ${problem.file}`,
          vscode.l10n.t(
            '{0} of the Outlook 365 connections was written by a newer version of this extension (format {1}). This version leaves it untouched and works read-only: update the extension to make changes.',
            name,
            problem.version,
          ),
        );
      }
    },
    keptAsideInGlobalState: (key, keptAs) => {
      log.warn('store', `the connection list in globalState (${key}) was not a list; kept aside as ${keptAs}`);
      warn(
        vscode.l10n.t(
          'The stored list of Outlook 365 connections was damaged. It was kept aside in the extension’s global state as {0}.',
          keptAs,
        ),
      );
    },
  };
}
