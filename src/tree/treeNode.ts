/** An item of the Connections view: a connection, or one of the details under it. */
import type * as vscode from 'vscode';

export type TreeNode =
  | { kind: 'connection'; id: string }
  | {
      kind: 'detail';
      id: string;
      key: string;
      label: string;
      description?: string;
      icon?: vscode.ThemeIcon;
      tooltip?: string;
      command?: vscode.Command;
      /** Added to the item's context value (the inline actions' `viewItem`). */
      context?: string;
    };
