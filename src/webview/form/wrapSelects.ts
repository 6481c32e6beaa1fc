/**
 * Long choices wrap in the selects. vscode-single-select draws its face and its options on one line
 * (`white-space: nowrap`, fixed heights), so at a 320 px panel an auth type such as "Username and password
 * (ROPC, not recommended)" is cut off in every language, English included. The component styles its shadow
 * root with adopted stylesheets (which the panel's CSP allows); adding one more there lets the chosen text
 * and each option wrap onto more lines and the option list grow to fit them. Fewer than ten options per
 * select (the component's own scrolling threshold), so the list never needs its fixed-height scrolling.
 */
import { css } from 'lit';

const wrapping = css`
  .select-face .text,
  .option,
  .option.single-select {
    height: auto;
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .scrollable {
    height: auto !important;
  }
`;

export function letSelectsWrap(root: ParentNode): void {
  const sheet = wrapping.styleSheet;
  if (!sheet) return;
  for (const select of root.querySelectorAll('vscode-single-select')) {
    const shadow = select.shadowRoot;
    if (shadow && !shadow.adoptedStyleSheets.includes(sheet)) {
      shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
    }
  }
}
