/**
 * The form's HTML page. Pure (no `vscode` import), so the panel and the browser test serve the very same
 * page under the very same Content Security Policy.
 */

/** The element that holds the `init` message in the page (`init` below). */
export const INIT_ELEMENT_ID = 'form-init';

export interface FormPageOptions {
  /** `webview.cspSource`: the origin the webview loads local resources from. */
  cspSource: string;
  /** A fresh random value per page load; only scripts carrying it may run. */
  nonce: string;
  /** `asWebviewUri` of `dist/webview/form.js`. */
  scriptUri: string;
  /** `asWebviewUri` of `media/form.css`. */
  styleUri: string;
  /** Page title (screen readers announce it). */
  title: string;
  /** BCP 47 language tag of the UI (`vscode.env.language`). */
  lang?: string;
  /**
   * The host's `init` message, in the page as data: the first load renders without asking for it (a round
   * trip to the extension host, 24 ms of the form's open in code-server, bench 6.). Absent: the page asks.
   */
  init?: unknown;
}

/**
 * The policy: nothing by default; styles and fonts only from the extension; scripts only with the nonce.
 * The web components style themselves through constructable stylesheets (`adoptedStyleSheets`) and the
 * CSSOM, which `style-src` does not restrict, so no `'unsafe-inline'` is needed.
 */
export function formContentSecurityPolicy(cspSource: string, nonce: string): string {
  return (
    [
      `default-src 'none'`,
      `style-src ${cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `font-src ${cspSource}`,
      `img-src ${cspSource} data:`,
    ].join('; ') + ';'
  );
}

export function formHtml(options: FormPageOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, title, lang = 'en', init } = options;
  // Data, not a script (never run, so the policy does not apply); `<` escaped so that nothing in it can
  // end the element or open a comment, whatever a connection's name holds.
  const initData =
    init === undefined
      ? ''
      : `\n  <script type="application/json" id="${INIT_ELEMENT_ID}">${JSON.stringify(init).replace(/</g, '\\u003c')}</script>`;
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(lang)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(formContentSecurityPolicy(cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttribute(styleUri)}">
  <title>${escapeText(title)}</title>
</head>
<body>
  <div id="app" class="app"></div>${initData}
  <script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>`;
}

/** 32 random alphanumerics (Web Crypto: the same in Node and in the browser). */
export function createNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
