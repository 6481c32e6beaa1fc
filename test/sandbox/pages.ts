/** The emulator's HTML pages: real forms with labels, usable by a person, Playwright or the browser bot. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:Segoe UI,system-ui,sans-serif;background:#f3f2f1;margin:0;color:#1b1b1b}
main{max-width:420px;margin:48px auto;background:#fff;padding:36px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;font-weight:600;margin:0 0 16px}
label{display:block;margin:14px 0 4px}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:6px 8px;font-size:1rem;border:1px solid #8a8886}
.buttons{margin-top:24px;display:flex;gap:8px;justify-content:flex-end}
button{padding:6px 20px;font-size:1rem;border:1px solid #8a8886;background:#fff;cursor:pointer}
button.primary{background:#0067b8;border-color:#0067b8;color:#fff}
.error{color:#a80000;margin:12px 0}
.note{color:#605e5c;font-size:.85rem;margin-top:24px}
</style></head><body><main>${body}<p class="note">Outlook 365 Connections sandbox tenant (local emulator)</p></main></body></html>`;
}

export function loginPage(options: {
  action: string;
  hidden: Record<string, string>;
  title: string;
  subtitle?: string;
  error?: string;
  loginHint?: string;
}): string {
  const hidden = Object.entries(options.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    options.title,
    `<h1>${escapeHtml(options.title)}</h1>${options.subtitle ? `<p>${escapeHtml(options.subtitle)}</p>` : ''}
${options.error ? `<p class="error" role="alert" id="error">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}" id="login">${hidden}
<label for="username">Email or username</label><input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(options.loginHint ?? '')}" autofocus>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password">
<div class="buttons"><button type="submit" id="decline" name="action" value="decline">Decline</button><button type="submit" class="primary" id="signin" name="action" value="signin">Sign in</button></div>
</form>`,
  );
}

/** The answer to the app, posted by the browser to the redirect URI (response_mode=form_post). */
export function formPostPage(action: string, fields: Record<string, string>): string {
  const hidden = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    'Signing in',
    `<h1>Returning to the application…</h1><form method="post" action="${escapeHtml(action)}" id="formpost">${hidden}
<div class="buttons"><button type="submit" class="primary" id="continue">Continue</button></div></form>
<script>document.getElementById('formpost').submit();</script>`,
  );
}

export function deviceCodeEntryPage(action: string, error?: string): string {
  return page(
    'Enter code',
    `<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>
${error ? `<p class="error" role="alert" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" id="devicecode">
<label for="usercode">Code</label><input type="text" id="usercode" name="usercode" autocomplete="off" autofocus>
<div class="buttons"><button type="submit" class="primary" id="continue">Next</button></div></form>`,
  );
}

export function messagePage(title: string, text: string, status: 'ok' | 'error' = 'ok'): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p id="${status === 'ok' ? 'done' : 'error'}"${status === 'error' ? ' class="error" role="alert"' : ''}>${escapeHtml(text)}</p>`,
  );
}

/** `/` of the plain-HTTP browser origin (`browserPort`): what it serves, for a person who opens it by hand. */
export function browserIndexPage(options: { tenant: string; deviceLogin: string }): string {
  return page(
    'Sandbox sign-in',
    `<h1>Sandbox sign-in pages</h1><p>This address serves the sign-in, device code and admin consent pages of the sandbox tenant <b>${escapeHtml(options.tenant)}</b>.
Sign-in pages open from VS Code when a connection signs in.</p>
<p>Device code sign-in: <a href="${escapeHtml(options.deviceLogin)}" id="devicelogin">enter a code</a>.</p>`,
  );
}
