/**
 * The last Test Connection under its connection in the Connections view: a summary item, then one item per
 * check with its result icon, the missing permission, the detail in the tooltip, and the fix as the item's
 * command (and an inline action). Drawn from the stored facts only, so it survives a reload.
 */
import * as vscode from 'vscode';
import type { Check } from '../engine/graphProbe';
import type { ConnectionFacts } from '../connections/facts';
import { fixCommand } from '../checkFixes';
import { checkTitle } from '../labels';
import { t } from '../localize';
import type { TreeNode } from './treeNode';

const RESULT_ICON: Record<Check['result'], vscode.ThemeIcon> = {
  passed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  skipped: new vscode.ThemeIcon('circle-slash'),
};

export function checklistNodes(id: string, facts: ConnectionFacts): TreeNode[] {
  const test = facts.lastTest;
  if (!test) return [];
  const at = new Date(test.at).toLocaleString(vscode.env.language);
  const nodes: TreeNode[] = [
    {
      kind: 'detail',
      id,
      key: 'lastTest',
      label: vscode.l10n.t('Last test'),
      description: t(test.summary),
      icon: new vscode.ThemeIcon(test.ok ? 'pass' : facts.permissionMissing ? 'warning' : 'error'),
      tooltip: `${t(test.summary)}\n${at}`,
      command: { command: 'outlook365.testConnection', title: vscode.l10n.t('Test Connection'), arguments: [id] },
    },
  ];
  // A test stored by an earlier version has no checks: its summary stands alone.
  for (const check of test.checks ?? []) {
    const fix = check.fix ? fixCommand(id, check.fix) : undefined;
    nodes.push({
      kind: 'detail',
      id,
      key: `check:${check.name}`,
      label: checkTitle(check.name),
      description: resultText(check),
      icon: RESULT_ICON[check.result],
      tooltip: tooltipOf(check, fix),
      ...(fix ? { command: fix, context: `fix-${check.fix!.kind}` } : {}),
    });
  }
  return nodes;
}

function resultText(check: Check): string {
  switch (check.result) {
    case 'passed':
      return vscode.l10n.t('passed');
    case 'skipped':
      return vscode.l10n.t('skipped');
    case 'failed':
      return check.missingPermission
        ? vscode.l10n.t('failed: {0} missing', check.missingPermission)
        : check.status
          ? vscode.l10n.t('failed: HTTP {0}', check.status)
          : vscode.l10n.t('failed');
  }
}

function tooltipOf(check: Check, fix: vscode.Command | undefined): string {
  return [
    t(check.detail),
    check.path
      ? `GET ${check.path}${check.status ? ` → ${check.status}${check.errorCode ? ` ${check.errorCode}` : ''}` : ''}`
      : undefined,
    check.missingPermission ? vscode.l10n.t('Missing permission: {0}', check.missingPermission) : undefined,
    fix ? vscode.l10n.t('Fix: {0}', fix.title) : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}
