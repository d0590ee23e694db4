import { AppError } from '../../../shared/api/errors';
import { redact, type Logger } from '../log';
import { BillitError } from './errors';
import { createTransport, type AuthProvider, type TimingOptions, type Transport } from './http';
import { tokenReply } from './schemas';
import type * as z from 'zod/mini';

/**
 * Where the Billit credentials come from. The keychain store implements this; the client never stores a
 * credential itself and never puts one in a log line or an error.
 *
 * - `api-key`: the `ApiKey` header (personal / non-commercial use, per Billit's policy).
 * - `oauth`: authorization-code tokens. Billit's refresh token is single-use, so on every refresh the new pair
 *   is handed to `saveTokens` and only after that resolves is the old pair dropped (`dropTokens`, optional).
 *   A crash between the two leaves the new pair stored: the next start still signs in.
 */
export type BillitAuth = ApiKeyAuth | OAuthAuth;

export interface ApiKeyAuth {
  kind: 'api-key';
  apiKey: string;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface OAuthAuth extends OAuthClientCredentials {
  kind: 'oauth';
  /** The newest stored pair. */
  tokens: OAuthTokens;
  /** Persist `next` durably (resolve only once it is stored). Called before the old pair is dropped. */
  saveTokens(next: OAuthTokens, previous: OAuthTokens): Promise<void>;
  /** Forget `previous` (optional; called after `saveTokens` resolved). */
  dropTokens?(previous: OAuthTokens): Promise<void>;
}

/** Access tokens are refreshed this long before they expire. */
export const REFRESH_MARGIN_MS = 60_000;

const TOKEN_ERROR_CODES = ['InvalidAccessToken', 'AccessTokenExpired'];

export type TokenResponse = z.output<typeof tokenReply>;

function tokensFrom(t: TokenResponse, now: number): OAuthTokens {
  redact(t.access_token);
  redact(t.refresh_token);
  const seconds = typeof t.expires_in === 'number' && t.expires_in > 0 ? t.expires_in : 3600;
  return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: now + seconds * 1000 };
}

function registerSecrets(auth: BillitAuth) {
  if (auth.kind === 'api-key') redact(auth.apiKey);
  else {
    redact(auth.clientSecret);
    redact(auth.tokens.accessToken);
    redact(auth.tokens.refreshToken);
  }
}

function signInAgain(error: unknown): AppError {
  if (error instanceof BillitError && (error.status === 400 || error.status === 401))
    return new BillitError(
      'auth',
      'Billit no longer accepts the stored sign-in (refresh token invalid, used or revoked): sign in to Billit again; check the environment (production or sandbox) and the OAuth client.',
      { status: error.status, method: 'POST', path: '/OAuth2/token', errors: error.errors, attempts: error.attempts },
    );
  return error as AppError;
}

/** POST /OAuth2/token with a JSON body (no Authorization header). */
async function tokenRequest(transport: Transport, body: Record<string, string>): Promise<TokenResponse> {
  const res = await transport.request({ method: 'POST', path: '/OAuth2/token', json: body, authenticated: false, reply: tokenReply });
  return res.data;
}

/**
 * The credential side of the client: headers for each request, and the OAuth refresh (single-flight,
 * proactive before expiry and once after a token 401).
 */
export function createAuthProvider(
  auth: BillitAuth,
  transport: () => Transport,
  now: () => number,
  logger?: Logger,
): AuthProvider & { current(): BillitAuth; refresh(): Promise<OAuthTokens> } {
  registerSecrets(auth);
  if (auth.kind === 'api-key') {
    const key = auth.apiKey.trim();
    return {
      current: () => auth,
      headers: async () => ({ ApiKey: key }),
      refresh: async () => {
        throw new AppError('invalid-input', 'An API key has no tokens to refresh');
      },
    };
  }
  const oauth: OAuthAuth = auth;
  let tokens = oauth.tokens;
  let refreshing: Promise<OAuthTokens> | null = null;

  async function doRefresh(): Promise<OAuthTokens> {
    const previous = tokens;
    let next: OAuthTokens;
    try {
      next = tokensFrom(
        await tokenRequest(transport(), {
          grant_type: 'refresh_token',
          refresh_token: previous.refreshToken,
          client_id: oauth.clientId,
          client_secret: oauth.clientSecret,
        }),
        now(),
      );
    } catch (error) {
      throw signInAgain(error);
    }
    // The old refresh token is spent now. Store the new pair first…
    try {
      await oauth.saveTokens(next, previous);
    } catch (error) {
      // Keep working with the new pair in memory (the old one is useless), but say it was not stored.
      tokens = next;
      throw new AppError(
        'keychain-unavailable',
        `The renewed Billit sign-in could not be stored (${(error as Error).message}); it will be stored at the next renewal.`,
      );
    }
    // …then drop the old one.
    tokens = next;
    try {
      await oauth.dropTokens?.(previous);
    } catch (error) {
      logger?.warn('billit: could not drop the previous token pair', error);
    }
    logger?.info('billit: access token renewed');
    return next;
  }

  function refresh(): Promise<OAuthTokens> {
    refreshing ??= doRefresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  return {
    current: () => ({ ...oauth, tokens }),
    refresh,
    async headers() {
      if (tokens.expiresAt - REFRESH_MARGIN_MS <= now()) await refresh();
      return { Authorization: `Bearer ${tokens.accessToken}` };
    },
    async renewAfter401(errors, _signal, sent) {
      const tokenProblem = errors.length === 0 || errors.some((e) => TOKEN_ERROR_CODES.some((c) => c.toLowerCase() === e.Code.toLowerCase()));
      if (!tokenProblem) return false;
      // Refused with a token another request has renewed since (or is renewing): use the new one.
      const stale = sent?.Authorization !== undefined && sent.Authorization !== `Bearer ${tokens.accessToken}`;
      if (refreshing) await refreshing;
      else if (!stale) await refresh();
      return true;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Authorization code flow (browser)

export interface AuthorizeUrlInput {
  /** The web portal: https://my.billit.be, https://my.sandbox.billit.be, or the demo office. */
  webBaseUrl: string;
  clientId: string;
  redirectUri: string;
  /** Echoed back; no '&' (Billit's rule). */
  state?: string;
}

/** `{web}/Account/Logon?client_id=…&redirect_uri=…&state=…`, opened in the system browser. */
export function billitAuthorizeUrl(input: AuthorizeUrlInput): string {
  if (input.state?.includes('&')) throw new AppError('invalid-input', "The OAuth state must not contain '&'");
  const url = new URL(input.webBaseUrl.replace(/\/+$/, '') + '/Account/Logon');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  if (input.state) url.searchParams.set('state', input.state);
  return url.toString();
}

/** Read the redirect back to the app: the code, or a clear error for a denial or a state mismatch. */
export function parseAuthorizeRedirect(redirectedTo: string, expectedState?: string): { code: string; state?: string } {
  const url = new URL(redirectedTo);
  const error = url.searchParams.get('error');
  const state = url.searchParams.get('state') ?? undefined;
  if (expectedState !== undefined && state !== expectedState)
    throw new AppError('auth', 'The Billit sign-in came back with an unexpected state; start the sign-in again.');
  if (error) throw new AppError('auth', error === 'access_denied' ? 'Access to Billit was denied in the browser.' : `Billit sign-in failed: ${error}`);
  const code = url.searchParams.get('code');
  if (!code) throw new AppError('auth', 'The Billit sign-in came back without a code.');
  return state === undefined ? { code } : { code, state };
}

export interface ExchangeCodeInput extends OAuthClientCredentials {
  baseUrl: string;
  code: string;
  redirectUri: string;
  timing?: TimingOptions;
  logger?: Logger;
}

/** POST /OAuth2/token grant_type=authorization_code. The caller stores the returned pair. */
export async function exchangeAuthorizationCode(input: ExchangeCodeInput): Promise<OAuthTokens> {
  redact(input.clientSecret);
  redact(input.code);
  const transport = createTransport({ baseUrl: input.baseUrl, timing: input.timing, logger: input.logger });
  const now = transport.timing.now;
  try {
    return tokensFrom(
      await tokenRequest(transport, {
        grant_type: 'authorization_code',
        code: input.code,
        client_id: input.clientId,
        client_secret: input.clientSecret,
        redirect_uri: input.redirectUri,
      }),
      now(),
    );
  } catch (error) {
    if (error instanceof BillitError && (error.status === 400 || error.status === 401))
      throw new BillitError(
        'auth',
        'Billit refused the sign-in code (expired, used, or another client / redirect address): sign in again; check the environment and the OAuth client.',
        { status: error.status, method: 'POST', path: '/OAuth2/token', errors: error.errors, attempts: error.attempts },
      );
    throw error;
  }
}
