/**
 * Every way a connection signs in, as a small object: what it can do (`options`) and how it runs
 * (`trigger`). `flowFor` picks the one a request needs by filtering the constant list on those flags,
 * as VS Code's own Microsoft authentication picks its flows; adding a way to sign in means adding an
 * object here, not another branch in the token client.
 */
import type { AuthenticationResult } from '@azure/msal-node';
import { ConnectionError } from '../failures';
import { msg, type Message } from '../../model/messages';
import type { MsalApp } from '../msalApp';
import type { Secret } from '../../model/secret';
import { signInWithDeviceCode, type DeviceCodeInfo } from './deviceCode';
import { signInWithLoopback } from './loopback';

export interface InteractionUi {
  /** Opens the sign-in page; resolves once the browser was asked to open it, not after sign-in. */
  openBrowser(url: string): Promise<void>;
  showDeviceCode(info: DeviceCodeInfo): void;
  /** The user's language for the page the browser shows after a sign-in (English when absent). */
  translate?: (message: Message) => string;
}

/** What a sign-in request needs, from the connection's auth type, its client and the method chosen. */
export interface SignInFlowQuery {
  /** Signs in as the app (client credentials, certificate), not as a user. */
  appOnly: boolean;
  /** Signs in with the stored username and password (ROPC). */
  password: boolean;
  /** How the user takes part in an interactive sign-in. */
  method: 'browser' | 'deviceCode';
  client: MsalApp['kind'];
}

export interface SignInFlowOptions {
  appOnly: boolean;
  password: boolean;
  /** The interactive method it serves; none for the grants without the user. */
  method?: 'browser' | 'deviceCode';
  supportsPublicClient: boolean;
  supportsConfidentialClient: boolean;
}

export interface SignInFlowTrigger {
  msal: MsalApp;
  scopes: string[];
  ui: InteractionUi;
  /** ROPC's user and password. */
  username?: string;
  password?: Secret;
  /** The account the browser starts with; without one, Entra's account picker. */
  loginHint?: string;
  signal?: AbortSignal;
  timeoutMs: number;
  /** The claims of a claims challenge (JSON), asked for in the sign-in (claimsChallenge.ts). */
  claims?: string;
}

export interface SignInFlow {
  readonly label: string;
  readonly options: SignInFlowOptions;
  trigger(request: SignInFlowTrigger): Promise<AuthenticationResult | null>;
}

const clientCredentialsFlow: SignInFlow = {
  label: 'client credentials',
  options: { appOnly: true, password: false, supportsPublicClient: false, supportsConfidentialClient: true },
  trigger: ({ msal, scopes }) =>
    msal.kind === 'confidential'
      ? msal.app.acquireTokenByClientCredential({ scopes, skipCache: true })
      : Promise.resolve(null),
};

/** Also the silent renewal of a ROPC connection (the token client calls it without the user). */
export const passwordFlow: SignInFlow = {
  label: 'username and password',
  options: { appOnly: false, password: true, supportsPublicClient: true, supportsConfidentialClient: true },
  trigger: async ({ msal, scopes, username, password }) => {
    if (!username || !password) {
      throw new ConnectionError({
        kind: 'configuration',
        status: 'error',
        message: msg('Enter the password: edit the connection.'),
      });
    }
    return msal.app.acquireTokenByUsernamePassword({ scopes, username, password: password.reveal() });
  },
};

const loopbackFlow: SignInFlow = {
  label: 'browser (loopback)',
  options: {
    appOnly: false,
    password: false,
    method: 'browser',
    supportsPublicClient: true,
    supportsConfidentialClient: true,
  },
  trigger: ({ msal, scopes, ui, loginHint, signal, timeoutMs, claims }) =>
    signInWithLoopback(msal.app, {
      scopes,
      ...(claims ? { claims } : {}),
      // A known account is hinted; otherwise (and for another account) Entra shows its account picker.
      ...(loginHint ? { loginHint } : { prompt: 'select_account' as const }),
      openBrowser: ui.openBrowser,
      ...(ui.translate ? { translate: ui.translate } : {}),
      signal,
      timeoutMs,
    }),
};

const deviceCodeFlow: SignInFlow = {
  label: 'device code',
  options: {
    appOnly: false,
    password: false,
    method: 'deviceCode',
    supportsPublicClient: true,
    supportsConfidentialClient: false,
  },
  trigger: ({ msal, scopes, ui, signal, claims }) =>
    msal.kind === 'public'
      ? signInWithDeviceCode(msal.app, {
          scopes,
          showDeviceCode: ui.showDeviceCode,
          signal,
          ...(claims ? { claims } : {}),
        })
      : Promise.resolve(null),
};

const ALL_FLOWS: readonly SignInFlow[] = [clientCredentialsFlow, passwordFlow, loopbackFlow, deviceCodeFlow];

/** The flows that can serve a request (each request has at most one today). */
export function signInFlows(query: SignInFlowQuery): SignInFlow[] {
  return ALL_FLOWS.filter(({ options }) => {
    let fits = options.appOnly === query.appOnly && options.password === query.password;
    if (!query.appOnly && !query.password) fits &&= options.method === query.method;
    return fits && (query.client === 'public' ? options.supportsPublicClient : options.supportsConfidentialClient);
  });
}

/** The flow for a request; the one combination without a flow is device code with a confidential client. */
export function signInFlowFor(query: SignInFlowQuery): SignInFlow {
  const flow = signInFlows(query)[0];
  if (!flow) {
    throw new ConnectionError({
      kind: 'configuration',
      status: 'error',
      message: msg('Device code sign-in works only without a client secret (a public client).'),
    });
  }
  return flow;
}
