/**
 * Device code (RFC 8628): for remote windows and machines without a browser that can reach a loopback
 * port. The user code goes to the UI callback; cancelling sets MSAL's `cancel` flag, which MSAL checks
 * after its current polling wait.
 */
import type { AuthenticationResult, DeviceCodeRequest, PublicClientApplication } from '@azure/msal-node';

export interface DeviceCodeInfo {
  userCode: string;
  verificationUri: string;
  /** Entra's own sentence ("To sign in, use a web browser to open …"). */
  message: string;
  expiresOn: Date;
}

export interface DeviceCodeSignIn {
  scopes: string[];
  showDeviceCode: (info: DeviceCodeInfo) => void;
  signal?: AbortSignal;
  /** A claims challenge's claims (JSON). */
  claims?: string;
}

export async function signInWithDeviceCode(
  app: PublicClientApplication,
  options: DeviceCodeSignIn,
): Promise<AuthenticationResult> {
  const request: DeviceCodeRequest = {
    scopes: options.scopes,
    ...(options.claims ? { claims: options.claims } : {}),
    deviceCodeCallback: (response) => {
      // MSAL calls back even when the device code request failed; there is then no code to show.
      if (!response.userCode || !response.verificationUri) {
        throw Object.assign(new Error('device_code_request_failed'), { errorCode: 'device_code_request_failed' });
      }
      options.showDeviceCode({
        userCode: response.userCode,
        verificationUri: response.verificationUri,
        message: response.message,
        expiresOn: new Date(Date.now() + response.expiresIn * 1000),
      });
    },
  };
  const onAbort = () => {
    request.cancel = true;
  };
  if (options.signal?.aborted) {
    onAbort();
  }
  options.signal?.addEventListener('abort', onAbort);
  try {
    const result = await app.acquireTokenByDeviceCode(request);
    if (!result) {
      throw Object.assign(new Error('device_code_polling_cancelled'), { errorCode: 'device_code_polling_cancelled' });
    }
    return result;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
