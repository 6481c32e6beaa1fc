/**
 * The tests' browser for interactive flows: it reads the emulator's real HTML forms and submits them
 * over HTTPS, as a person's browser would, ending with the form_post to the app's loopback redirect.
 */
export type Credentials = { upn: string; password: string } | { decline: true };

interface ParsedForm {
  action: string;
  fields: Record<string, string>;
}

function parseForm(html: string, base: string, id?: string): ParsedForm | undefined {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => !id || new RegExp(`id="${id}"`).test(f[1])) ?? forms[0];
  if (!form) return undefined;
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const action = unescape(/action="([^"]*)"/.exec(form[1])?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1])?.[1];
    if (name && /type="hidden"/.test(input[1]))
      fields[unescape(name)] = unescape(/value="([^"]*)"/.exec(input[1])?.[1] ?? '');
  }
  return { action: new URL(action, base).href, fields };
}

async function post(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; text: string; location?: string }> {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  return {
    status: response.status,
    text: await response.text(),
    location: response.headers.get('location') ?? undefined,
  };
}

function errorOf(html: string): string | undefined {
  return /id="error"[^>]*>([^<]*)</.exec(html)?.[1];
}

async function signInOn(
  page: { url: string; html: string },
  creds: Credentials,
  formId: string,
): Promise<{ status: number; text: string; location?: string; url: string }> {
  const form = parseForm(page.html, page.url, formId);
  if (!form) throw new Error(`no sign-in form on the page: ${errorOf(page.html) ?? page.html.slice(0, 200)}`);
  const fields =
    'decline' in creds
      ? { ...form.fields, action: 'decline' }
      : { ...form.fields, username: creds.upn, password: creds.password, action: 'signin' };
  return { ...(await post(form.action, fields)), url: form.action };
}

/** Opens the authorize URL, signs in (or declines), and delivers the answer to the redirect URI. */
export async function completeAuthorizeInBrowser(authorizeUrl: string, creds: Credentials): Promise<void> {
  const first = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await first.text();
  if (first.status !== 200) throw new Error(`authorize page answered ${first.status}: ${errorOf(html) ?? ''}`);
  const answer = await signInOn({ url: authorizeUrl, html }, creds, 'login');
  if (answer.location) {
    await fetch(answer.location, { redirect: 'manual' });
    return;
  }
  const formPost = parseForm(answer.text, answer.url, 'formpost');
  if (!formPost) throw new Error(`sign-in did not complete: ${errorOf(answer.text) ?? 'no answer form'}`);
  await post(formPost.action, formPost.fields);
}

/** Opens the device-code page, enters the code, signs in (or declines). */
export async function completeDeviceCode(verificationUri: string, userCode: string, creds: Credentials): Promise<void> {
  const entry = await (await fetch(verificationUri)).text();
  const form = parseForm(entry, verificationUri, 'devicecode');
  if (!form) throw new Error('no device code form');
  const login = await post(form.action, { ...form.fields, usercode: userCode });
  const done = await signInOn({ url: form.action, html: login.text }, creds, 'login');
  if (!/id="done"/.test(done.text))
    throw new Error(`device code sign-in failed: ${errorOf(done.text) ?? 'unexpected page'}`);
}
