/**
 * User-facing text produced by the engine. The engine has no `vscode` import (it also runs in plain
 * Node and in the webview), so it returns the English template and its arguments; the extension passes
 * them through `vscode.l10n.t(text, args)` and the webview through the same l10n bundle.
 */
export interface Message {
  /** English template; `{name}` placeholders are filled from `args`. It is also the l10n key. */
  readonly text: string;
  readonly args?: Readonly<Record<string, string | number>>;
}

export function msg(text: string, args?: Record<string, string | number>): Message {
  return args ? { text, args } : { text };
}

/** Fills the placeholders, after an optional translation of the template. */
export function formatMessage(message: Message, translate: (template: string) => string = (t) => t): string {
  const template = translate(message.text);
  const args = message.args ?? {};
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in args ? String(args[key]) : whole));
}
