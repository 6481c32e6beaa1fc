/** Small inline icons (codicons are not bundled): they take the text colour of their context. */
import { svg } from 'lit';

export const warningIcon = svg`<svg class="icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor"><path d="M7.56 1h.88l6.54 12.26-.44.74H1.44L1 13.26 7.56 1zM8 2.28 2.28 13H13.7L8 2.28zM8.63 12H7.37v-1.26h1.26V12zm-1.26-2.5V5h1.26v4.5H7.37z"/></svg>`;
export const errorIcon = svg`<svg class="icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor"><path d="M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm0 1.2a5.8 5.8 0 1 0 0 11.6A5.8 5.8 0 0 0 8 2.2zM8.6 11v1.2H7.4V11h1.2zm0-7v6H7.4V4h1.2z"/></svg>`;
export const successIcon = svg`<svg class="icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor"><path d="M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm0 1.2a5.8 5.8 0 1 0 0 11.6A5.8 5.8 0 0 0 8 2.2zm3.1 3.1.85.85L7 11.1 4.05 8.15l.85-.85L7 9.4l4.1-4.1z"/></svg>`;
export const fileIcon = svg`<svg class="icon" aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor"><path d="M13.71 4.29l-3-3L10 1H4L3 2v12l1 1h9l1-1V5l-.29-.71zM13 14H4V2h5v4h4v8zm-3-9V2l3 3h-3z"/></svg>`;
