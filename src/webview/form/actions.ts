/** What the view calls back: DOM events, which `main.ts` turns into `FormEvent`s (./update.ts). */
import type { DraftField } from '../../model/draft';
import type { CopyTarget } from '../protocol';

export interface FormActions {
  /** A text, select or radio value changed. */
  edit(field: DraftField, value: string): void;
  setSendX5c(value: boolean): void;
  /** A field lost focus. */
  leave(field: DraftField): void;
  submit(event: Event): void;
  cancel(): void;
  pickCertificate(): void;
  clearCertificateFile(): void;
  copy(what: CopyTarget): void;
  /** The radio group's value may have changed without a `change` event (arrow keys). */
  syncRadios(group: HTMLElement): void;
}
