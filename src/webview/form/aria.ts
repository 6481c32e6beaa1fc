/**
 * The web components keep their real `<input>` (or combobox) inside a shadow root, where
 * `aria-describedby` on the host cannot reach, and `aria-describedby` from inside cannot point out.
 * So the host carries `aria-invalid`/`aria-describedby` (the page's own record), and this copies
 * them onto the element that takes focus: `aria-invalid` as is, the described-by texts as
 * `aria-description`, which screen readers announce after the label.
 */
type Component = HTMLElement & { updateComplete?: Promise<unknown> };

export async function mirrorAria(host: Component): Promise<void> {
  await host.updateComplete;
  const inner = focusTarget(host);
  if (!inner) {
    return; // A role-bearing host (the radio group) is described directly.
  }
  copyAttribute(host, inner, 'aria-invalid');
  copyAttribute(host, inner, 'aria-required');
  const description = (host.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '')
    .filter(Boolean)
    .join('. ');
  if (description) {
    inner.setAttribute('aria-description', description);
  } else {
    inner.removeAttribute('aria-description');
  }
}

function focusTarget(host: HTMLElement): HTMLElement | null {
  const shadow = host.shadowRoot;
  switch (host.localName) {
    case 'vscode-textfield':
      return shadow?.querySelector('input') ?? null;
    case 'vscode-textarea':
      return shadow?.querySelector('textarea') ?? null;
    case 'vscode-single-select':
      return shadow?.querySelector('[role="combobox"]') ?? null;
    case 'vscode-checkbox':
      return shadow?.querySelector('input') ?? null;
    default:
      return null;
  }
}

function copyAttribute(from: Element, to: Element, name: string): void {
  const value = from.getAttribute(name);
  if (value === null) {
    to.removeAttribute(name);
  } else {
    to.setAttribute(name, value);
  }
}
