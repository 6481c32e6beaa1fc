/**
 * The form's side of the tenant look-up (pure, used by update.ts): when to ask the extension, which
 * answer still counts, and what switching the environment does. The extension reads the tenant's OpenID
 * configuration (the webview's CSP allows no request) and answers only when it has something to say, so
 * no network means no message, and nothing here ever blocks saving.
 */
import { isEnvironmentId } from '../../model/clouds';
import { isLookupTenant, type TenantVerdict } from '../../model/tenantCloud';
import type { FormMessage, HostMessage } from '../protocol';
import type { FormState } from './model';

/** Fields whose change makes the last answer stale and asks again after a pause. */
export const LOOKUP_FIELDS: readonly string[] = ['tenant', 'environment'];

/** The answer shown, when it is about the tenant and environment on the form now. */
export function currentVerdict(state: FormState): TenantVerdict | undefined {
  const answer = state.tenantCloud;
  return answer && answer.tenant === state.draft.tenant.trim() && answer.environment === state.draft.environment
    ? answer.verdict
    : undefined;
}

/** The request to send after the pause, or undefined when this tenant is not one to look up. */
export function lookupRequest(state: FormState): Extract<FormMessage, { type: 'lookUpTenant' }> | undefined {
  const tenant = state.draft.tenant.trim();
  const environment = state.draft.environment;
  if (state.phase !== 'editing' || !isLookupTenant(tenant) || !isEnvironmentId(environment)) return undefined;
  if (state.init.environments.find((e) => e.id === environment)?.problem) return undefined;
  if (currentVerdict(state)) return undefined; // already answered for exactly this
  return { type: 'lookUpTenant', tenant, environment };
}

/** Keeps the extension's answer when it is still about what the form shows. */
export function acceptAnswer(state: FormState, message: Extract<HostMessage, { type: 'tenantCloud' }>): void {
  if (message.tenant === state.draft.tenant.trim() && message.environment === state.draft.environment) {
    state.tenantCloud = { tenant: message.tenant, environment: message.environment, verdict: message.verdict };
  }
}

/** The environment the answer suggests switching to, when the form offers it. */
export function suggestedEnvironment(state: FormState): string | undefined {
  const verdict = currentVerdict(state);
  return verdict?.kind === 'otherCloud' &&
    state.init.environments.some((e) => e.id === verdict.environment && !e.problem)
    ? verdict.environment
    : undefined;
}
