/**
 * Which secrets a configuration cannot sign in without, and whether some of them are missing: a connection
 * that arrived through Settings Sync, or a duplicate made without its secrets, has none on this machine yet
 * and shows "secret needed on this machine" instead of failing at its first use.
 */
import { AUTH_TYPE_TABLE, type ConnectionConfig, type SecretField } from './authTypes';

export function requiredSecrets(config: ConnectionConfig): SecretField[] {
  const spec = AUTH_TYPE_TABLE[config.authType];
  // A confidential own app needs its client secret, though the form lets a public one go without.
  const confidential = config.authType === 'byoApp' && config.confidential;
  return spec.secretFields.filter((f) => (spec.required as readonly string[]).includes(f) || confidential);
}

export function secretsMissing(config: ConnectionConfig, stored: readonly SecretField[]): boolean {
  return requiredSecrets(config).some((f) => !stored.includes(f));
}
