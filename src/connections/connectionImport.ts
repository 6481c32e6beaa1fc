/**
 * Applies an import (Import Connections…, model/importPlan.ts decided what): every configuration in one
 * write of connections.json under its lock, so a failure anywhere before the file is replaced leaves the
 * store exactly as it was. Only then what the new configurations make stale goes: a replacement that
 * changes what identifies the sign-in drops its tokens and facts (as Edit does), secrets its new auth type
 * does not use are removed, and a new id starts with no secret or token at all.
 */
import { secretFieldsFor } from '../model/connection';
import type { ImportChanges } from '../model/importPlan';
import { isBroken } from '../model/storedConnection';
import { signInChanges } from '../model/signInIdentity';
import { draftFromConfig } from '../model/validate';
import type { Log } from '../log';
import type { ConnectionStore } from './connectionStore';
import type { SecretStore } from './secretStore';
import type { Sessions } from './sessions';

export class ConnectionImporter {
  constructor(
    private readonly store: ConnectionStore,
    private readonly secrets: SecretStore,
    private readonly sessions: Sessions,
    private readonly log: Log,
  ) {}

  async apply(changes: ImportChanges): Promise<void> {
    const before = new Map(changes.upserts.map((c) => [c.id, this.store.get(c.id)]));
    await this.store.upsertMany(changes.upserts);
    for (const config of changes.upserts) {
      const previous = before.get(config.id);
      const previousConfig = previous && !isBroken(previous) ? previous : undefined;
      if (!previous) {
        // A new id: nothing of an earlier connection under that id may come back to life.
        await this.secrets.deleteAll(config.id);
      } else if (
        !previousConfig ||
        signInChanges(draftFromConfig(previousConfig), draftFromConfig(config), []).length > 0
      ) {
        await this.sessions.forget(config.id);
      }
      if (previous) await this.secrets.updateSecrets(config.id, {}, secretFieldsFor(config.authType));
      this.sessions.reset(config.id);
    }
    this.log.info(
      'store',
      `imported ${changes.upserts.length} connection(s) (${changes.replaced.length} replaced, ${changes.skipped} skipped, ${changes.same} unchanged)`,
    );
  }
}
