/**
 * What every endpoint of the emulator works on: the emulator's public side (its endpoints, directory of
 * users and apps, control methods) and its private state (codes, tokens, faults, lifetimes, signing key),
 * which only the endpoint modules see.
 */
import type { generateKeyPair } from 'jose';
import type { Emulator } from '../emulator';
import type { AuthCode, DeviceCode, FaultSpec, RefreshToken } from '../model';
import type { ClaimsChallengeSpec } from './claimsChallenge';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface EmulatorState {
  codes: Map<string, AuthCode>;
  refreshTokens: Map<string, RefreshToken>;
  deviceCodes: Map<string, DeviceCode>;
  /** Interactive requests between the page a browser got and the form it posts back (`txn`). */
  pending: Map<string, Record<string, string>>;
  faults: (FaultSpec & { left: number })[];
  lifetimes: { accessTokenSeconds: number; refreshTokenSeconds: number };
  deviceCodeSettings: { intervalSeconds: number; expiresInSeconds: number };
  /** How far the emulator's clock is ahead of this machine's, for client assertions (700024). */
  clockSkewSeconds: number;
  /** Delegated permissions left out of issued tokens although asked for and consented (`withhold`). */
  withheld: Set<string>;
  /** Graph answers tokens without these claims with a claims challenge (`challengeClaims`). */
  claimsChallenge?: Required<ClaimsChallengeSpec>;
  privateKey?: SigningKey;
  jwks?: unknown;
}

export interface EmulatorContext {
  emulator: Emulator;
  state: EmulatorState;
}
