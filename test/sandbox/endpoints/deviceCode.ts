/**
 * The device code flow: the device authorization endpoint (`/{tenant}/oauth2/v2.0/devicecode`) and the
 * page a person opens to enter the code (`/devicelogin`). The token endpoint redeems the code (token.ts).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeviceCode } from '../model';
import { deviceCodeEntryPage, loginPage, messagePage } from '../pages';
import type { EmulatorContext } from './context';
import { findApp, parseScopes } from './directory';
import { AadError, readBody, sendHtml } from './http';

export function deviceCode(ctx: EmulatorContext, body: Record<string, string>): Record<string, unknown> {
  const { emulator, state } = ctx;
  const app = findApp(ctx, body.client_id);
  if (!app.allowPublicClientFlows) {
    throw new AadError(
      400,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  const scopes = parseScopes(ctx, body.scope);
  const alphabet = 'BCDFGHJKLMNPQRSTVWXZ23456789';
  const userCode = Array.from(randomBytes(9), (b) => alphabet[b % alphabet.length]).join('');
  const record: DeviceCode = {
    deviceCode: randomBytes(32).toString('base64url'),
    userCode,
    clientId: app.clientId,
    scopes,
    expiresAt: Date.now() + state.deviceCodeSettings.expiresInSeconds * 1000,
    status: 'pending',
  };
  state.deviceCodes.set(record.deviceCode, record);
  const verificationUri = `${emulator.browserEndpoint || emulator.loginEndpoint}/devicelogin`;
  return {
    user_code: userCode,
    device_code: record.deviceCode,
    verification_uri: verificationUri,
    expires_in: state.deviceCodeSettings.expiresInSeconds,
    interval: state.deviceCodeSettings.intervalSeconds,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
  };
}

export async function deviceLogin(
  { emulator, state }: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method === 'GET') return sendHtml(res, 200, deviceCodeEntryPage('/devicelogin'));
  const body = await readBody(req);
  const code = (body.usercode ?? '').trim().toUpperCase();
  const record = [...state.deviceCodes.values()].find((d) => d.userCode === code && d.status === 'pending');
  if (!record || record.expiresAt < Date.now()) {
    return sendHtml(
      res,
      200,
      deviceCodeEntryPage('/devicelogin', 'That code did not work. Check the code and try again.'),
    );
  }
  if (!body.action) {
    const app = emulator.apps.get(record.clientId);
    return sendHtml(
      res,
      200,
      loginPage({
        action: '/devicelogin',
        hidden: { usercode: code },
        title: 'Sign in',
        subtitle: `You are signing in to ${app?.displayName ?? 'an application'} on another device.`,
      }),
    );
  }
  if (body.action === 'decline') {
    record.status = 'declined';
    return sendHtml(res, 200, messagePage('Sign-in declined', 'You declined the sign-in. You can close this window.'));
  }
  const user = emulator.users.get((body.username ?? '').toLowerCase());
  if (!user || user.password !== body.password) {
    return sendHtml(
      res,
      200,
      loginPage({
        action: '/devicelogin',
        hidden: { usercode: code },
        title: 'Sign in',
        error: 'AADSTS50126: Your account or password is incorrect.',
        loginHint: body.username,
      }),
    );
  }
  emulator.approveDeviceCode(code, user.upn);
  sendHtml(
    res,
    200,
    messagePage(
      'You are signed in',
      'You have signed in to the application on your device. You may now close this window.',
    ),
  );
}
