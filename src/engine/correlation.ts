/**
 * The correlation id of a failed request to Microsoft Entra ID, for a support ticket (Copy Diagnostics):
 * Entra names it in its error answer ("Correlation ID: <guid>" in `error_description`, also
 * `correlation_id`), and MSAL keeps the id it sent as `client-request-id` on its errors (`correlationId`).
 * Only a GUID is taken: it identifies the request, never the user.
 */
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export function correlationIdOf(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { errorMessage?: unknown; message?: unknown; correlationId?: unknown };
  const text = `${typeof e.errorMessage === 'string' ? e.errorMessage : ''} ${typeof e.message === 'string' ? e.message : ''}`;
  const fromServer = /Correlation ID:\s*([0-9a-f-]{36})/i.exec(text)?.[1];
  if (fromServer && GUID.test(fromServer)) return fromServer.toLowerCase();
  return typeof e.correlationId === 'string' && GUID.exec(e.correlationId)?.[0] === e.correlationId
    ? e.correlationId.toLowerCase()
    : undefined;
}
