/** What the view calls back: DOM events, which `main.ts` turns into `FormEvent`s (./update.ts). */
import type { DraftField } from '../../model/draft';
import type { CopyTarget } from '../protocol';
import type { HelpTopic } from '../../model/helpLinks';

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
  /** Save without connecting. */
  save(): void;
  /** Switch to the environment the tenant's configuration names. */
  switchEnvironment(): void;
  openHelp(topic: HelpTopic): void;
  /** The radio group's value may have changed without a `change` event (arrow keys). */
  syncRadios(group: HTMLElement): void;
}
