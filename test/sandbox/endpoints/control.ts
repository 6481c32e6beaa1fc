/**
 * The control API under `/_emulator/` on the login host, for a test in another process than the emulator
 * (the consumer extension of the in-editor suite, test/consumer): each action calls the emulator's method
 * of that name.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorHost } from '../emulator';
import type { AppSpec, FaultSpec, UserSpec } from '../model';
import type { EmulatorContext } from './context';
import { readBody, sendJson } from './http';

/** The fields the actions read from a control request's body (passed on as the other process sent them). */
interface ControlBody {
  upn?: string;
  host?: EmulatorHost;
  on?: boolean;
  userCode?: string;
  permissions?: string[];
  accessTokenSeconds?: number;
  refreshTokenSeconds?: number;
}

export async function control(
  { emulator }: EmulatorContext,
  action: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw: unknown = req.method === 'POST' ? await readBody(req) : {};
  const body = raw as ControlBody;
  switch (action) {
    case 'add-user':
      emulator.addUser(raw as UserSpec);
      return sendJson(res, 200, { ok: true });
    case 'add-app':
      emulator.addApp(raw as AppSpec);
      return sendJson(res, 200, { ok: true });
    case 'revoke':
      return sendJson(res, 200, { revoked: emulator.revokeRefreshTokens(body.upn) });
    case 'inject-fault':
      emulator.injectFault(raw as FaultSpec);
      return sendJson(res, 200, { ok: true });
    case 'stall-connections':
      emulator.stallConnections(body.host!, !!body.on);
      return sendJson(res, 200, { ok: true });
    case 'clear-faults':
      emulator.clearFaults();
      return sendJson(res, 200, { ok: true });
    case 'approve-device-code':
      return sendJson(res, 200, { ok: emulator.approveDeviceCode(body.userCode!, body.upn!) });
    case 'requests':
      return sendJson(res, 200, emulator.requests);
    case 'withhold':
      emulator.withhold(body.permissions ?? []);
      return sendJson(res, 200, { ok: true });
    case 'challenge-claims':
      emulator.challengeClaims(raw && Object.keys(raw).length ? raw : {});
      return sendJson(res, 200, { ok: true });
    case 'clear-claims-challenge':
      emulator.challengeClaims(undefined);
      return sendJson(res, 200, { ok: true });
    case 'deny-app-mailbox':
      if (body.on === false) emulator.deniedToApps.delete(body.upn!.toLowerCase());
      else emulator.deniedToApps.add(body.upn!.toLowerCase());
      return sendJson(res, 200, { ok: true });
    case 'set-lifetimes':
      emulator.setLifetimes(body);
      return sendJson(res, 200, { ok: true });
    default:
      return sendJson(res, 404, { error: 'unknown control action' });
  }
}
