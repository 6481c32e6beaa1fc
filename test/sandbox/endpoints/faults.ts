/** Injected faults (`Emulator.injectFault`): slow, dropped, hung, throttled or failing answers per endpoint. */
import type { ServerResponse } from 'node:http';
import type { FaultEndpoint, RequestRecord } from '../model';
import type { EmulatorState } from './context';
import { sendJson } from './http';

/** Applies an injected fault; true when the request was answered (or dropped) by it. */
export async function applyFault(
  state: EmulatorState,
  endpoint: FaultEndpoint,
  res: ServerResponse,
  record: RequestRecord,
): Promise<boolean> {
  const fault = state.faults.find(
    (f) =>
      f.endpoint === endpoint &&
      f.left > 0 &&
      (!f.grantType || f.grantType === record.grantType) &&
      (!f.path || record.path.includes(f.path)),
  );
  if (!fault) return false;
  fault.left--;
  switch (fault.kind) {
    case 'slow':
      await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
      return false;
    case 'drop':
      record.status = 0;
      res.socket?.destroy();
      return true;
    case 'hang':
      record.status = 0;
      return true;
    case 'throttle':
      record.status = 429;
      if (endpoint === 'graph') {
        // Graph's own error shape: https://learn.microsoft.com/graph/errors
        sendJson(
          res,
          429,
          { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
          { 'Retry-After': String(fault.retryAfterSeconds ?? 30) },
        );
        return true;
      }
      sendJson(
        res,
        429,
        {
          error: 'temporarily_unavailable',
          error_description:
            'AADSTS50196: The server terminated an operation because it encountered a client request loop.',
          error_codes: [50196],
        },
        { 'Retry-After': String(fault.retryAfterSeconds ?? 30) },
      );
      return true;
    case 'status':
      record.status = fault.status ?? 500;
      if (endpoint === 'graph') {
        // A 503 may carry Retry-After: https://learn.microsoft.com/graph/errors
        sendJson(
          res,
          record.status,
          { error: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable.' } },
          fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : undefined,
        );
        return true;
      }
      sendJson(res, record.status, {
        error: 'server_error',
        error_description: 'AADSTS90033: A transient error has occurred. Please try again.',
        error_codes: [90033],
      });
      return true;
  }
}
