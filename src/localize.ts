import * as vscode from 'vscode';
import { formatMessage, type Message } from './model/messages';

/** Localizes an engine `Message` (its English template is the l10n key). */
export function t(message: Message): string {
  return formatMessage(message, (template) => vscode.l10n.t(template));
}
