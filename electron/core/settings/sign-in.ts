/**
 * Billit OAuth sign-in from the desktop: the app opens Billit's sign-in page in the browser, Billit sends
 * the browser back with a code (a deep link to the app, or the web host's /oauth/callback), and the core
 * trades the code for tokens, stores them in the keychain and says so. The `state` of each sign-in is
 * random and used once, so a link forged by another page cannot slip a sign-in in.
 */
import crypto from 'node:crypto';
import { AppError, type AccountView, type Events } from '../../../shared/api';
import { billitAuthorizeUrl, exchangeAuthorizationCode, parseAuthorizeRedirect, type OAuthTokens } from '../billit';
import { redact, type Logger } from '../log';

/** The desktop app's redirect address (registered with Billit's OAuth client; the Electron host routes it here). */
export const DESKTOP_REDIRECT_URI = 'billit-venice-link://oauth/callback';
const PENDING_MS = 15 * 60_000;

export interface SignInDeps {
  log: Logger;
  now(): number;
  /** Billit's web (sign-in page) and API bases for an environment. */
  bases(environment: string): { web: string; api: string };
  /** Fails when the keychain cannot hold a secret (checked before the browser opens). */
  assertKeychain(): Promise<void>;
  /** Stores the client and tokens and returns the account as the UI shows it (verified). */
  save(environment: string, client: { clientId: string; clientSecret: string }, tokens: OAuthTokens): Promise<AccountView>;
  emit(payload: Events['settings.signIn']): void;
}

interface Pending {
  environment: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  at: number;
}

export function billitSignIn(deps: SignInDeps) {
  const pending = new Map<string, Pending>();
  let redirectUri = DESKTOP_REDIRECT_URI;

  const fail = (error: unknown) => {
    const data = error instanceof AppError ? error.toData() : { code: 'internal', message: 'The Billit sign-in failed; see the log file.' };
    deps.log.warn('Billit sign-in failed', error);
    deps.emit({ ok: false, code: data.code, message: data.message });
  };

  return {
    /** The host says where Billit must send the browser back (browser mode: its own /oauth/callback). */
    useRedirectUri(uri: string) {
      redirectUri = uri;
    },

    async start(input: { environment: string; clientId: string; clientSecret: string }): Promise<{ authorizeUrl: string }> {
      await deps.assertKeychain();
      redact(input.clientSecret);
      const state = crypto.randomBytes(18).toString('base64url');
      for (const [key, p] of pending) if (deps.now() - p.at > PENDING_MS) pending.delete(key);
      pending.set(state, { ...input, redirectUri, at: deps.now() });
      const authorizeUrl = billitAuthorizeUrl({ webBaseUrl: deps.bases(input.environment).web, clientId: input.clientId, redirectUri, state });
      return { authorizeUrl };
    },

    /** The browser came back: never throws (the answer goes to the UI as an event). Returns whether it worked. */
    async handleDeepLink(url: string): Promise<boolean> {
      try {
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          throw new AppError('invalid-input', 'Not a sign-in address');
        }
        const state = parsed.searchParams.get('state') ?? '';
        const sign = pending.get(state);
        if (!sign || deps.now() - sign.at > PENDING_MS)
          throw new AppError('auth', 'This Billit sign-in is unknown or expired: start the sign-in again from the app.');
        pending.delete(state);
        const { code } = parseAuthorizeRedirect(url, state);
        redact(code);
        const tokens = await exchangeAuthorizationCode({
          baseUrl: deps.bases(sign.environment).api,
          clientId: sign.clientId,
          clientSecret: sign.clientSecret,
          code,
          redirectUri: sign.redirectUri,
          logger: deps.log,
        });
        const account = await deps.save(sign.environment, { clientId: sign.clientId, clientSecret: sign.clientSecret }, tokens);
        deps.log.info(`Billit sign-in stored for ${account.id}`);
        deps.emit({ ok: true, account });
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    },
  };
}
