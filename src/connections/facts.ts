/**
 * The last known facts of a connection (what its last sign-in, refresh, sign-out or test said) and the
 * status they give: what the tree, the pickers, the form and other extensions show without the network.
 * The store keeps them (factsFile.ts); the outcome recorder writes them.
 */
import type { FailureKind, FailureStatus } from '../engine/failures';
import type { Message } from '../model/messages';
import type { ProbeStep } from '../engine/graphProbe';
import { computeStatus, type ConnectionStatus } from '../engine/status';

/** What the last sign-in, refresh or test said. Shown without touching the network. */
export interface ConnectionFacts {
  signedIn?: boolean;
  /**
   * The user signed out and has not signed in since: ROPC then does not sign in again by itself with
   * the stored password. A fact, not configuration: it is not a secret, it changes with every sign-in
   * and sign-out as `signedIn` does (in the same write, kept across reloads and shared with other
   * windows like the rest of the facts), and saving configuration would make every window rebuild its
   * token clients.
   */
  signedOut?: boolean;
  account?: string;
  /** MSAL's home account id of the signed-in user: the account silent calls use (not secret). */
  homeAccountId?: string;
  expiresOn?: string;
  grantedScopes?: string[];
  requestedScopes?: string[];
  failure?: {
    status: FailureStatus;
    kind: FailureKind;
    code?: string;
    message: Message;
    at: string;
    /** The failed request's correlation id, for a support ticket (Copy Diagnostics). */
    correlationId?: string;
  };
  lastTest?: { ok: boolean; summary: Message; at: string; steps: ProbeStep[] };
  /**
   * A secret the connection needs is not stored on this machine: it arrived through Settings Sync, or is a
   * duplicate made without secrets. Per machine, like every fact; saving the connection with its secret clears it.
   */
  secretNeeded?: boolean;
}

/** The connection's status from its facts, at `now`. */
export function statusOf(facts: ConnectionFacts, now = new Date()): ConnectionStatus {
  return computeStatus(
    {
      signedIn: !!facts.signedIn,
      ...(facts.expiresOn ? { expiresOn: new Date(facts.expiresOn) } : {}),
      ...(facts.failure ? { failure: facts.failure.status } : {}),
      ...(facts.secretNeeded ? { secretNeeded: true } : {}),
    },
    now,
  );
}
