import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse, SimRoute } from '../sim-server';
import { OFFICE_USER_ID, type BillitSimState } from './state';

/**
 * Billit's OAuth2 authorization-code flow as documented:
 * - `GET {web}/Account/Logon?client_id&redirect_uri&state` — the browser page (my.billit.be in reality); here a
 *   consent form that signs in the office's demo user and redirects to `redirect_uri?code=…&state=…`, or
 *   `?error=access_denied`;
 * - `POST {api}/OAuth2/token` with a JSON body (authorization_code, refresh_token); the code lives 10 minutes
 *   and is single-use; the refresh token never expires and is single-use; a refresh with another client fails;
 * - `POST {api}/OAuth2/revoke` revokes the Bearer token sent with it.
 */

const CODE_TTL_MS = 10 * 60_000;

const oauthError = (status: number, code: string, description: string): SimResponse => ({
  status,
  json: { errors: [{ Code: code, Description: description }] },
});

const token = () => randomBytes(24).toString('base64url');

function issue(state: BillitSimState, clientId: string, userId: number, ttlSeconds: number): SimResponse {
  const access = token();
  const refresh = token();
  state.accessTokens.set(access, {
    token: access,
    clientId,
    userId,
    expiresAt: state.now().getTime() + ttlSeconds * 1000,
    revoked: false,
  });
  state.refreshTokens.set(refresh, { token: refresh, clientId, userId, used: false, revoked: false });
  return {
    status: 200,
    json: { token_type: 'Bearer', expires_in: ttlSeconds, access_token: access, refresh_token: refresh },
  };
}

export function oauthTokenRoutes(state: BillitSimState, ttlSeconds: number): SimRoute[] {
  return [
    {
      method: 'POST',
      pattern: '/OAuth2/token',
      tag: 'swagger',
      handler: (req) => {
        const contentType = req.header('content-type') ?? '';
        const body = req.body as Record<string, unknown> | undefined;
        if (!/json/i.test(contentType) || !body || typeof body !== 'object')
          return oauthError(400, 'InvalidRequest', 'Send the token request as a JSON body');
        const clientId = String(body.client_id ?? '');
        const client = state.oauthClients.get(clientId);
        if (!client || client.clientSecret !== body.client_secret)
          return oauthError(401, 'InvalidClient', 'Unknown client or wrong client secret');
        if (body.grant_type === 'authorization_code') {
          const code = state.authCodes.get(String(body.code ?? ''));
          if (!code || code.used || code.expiresAt < state.now().getTime() || code.clientId !== clientId)
            return oauthError(400, 'InvalidGrant', 'The authorization code is invalid, expired or already used');
          if (code.redirectUri !== body.redirect_uri) return oauthError(400, 'InvalidGrant', 'redirect_uri does not match');
          code.used = true;
          return issue(state, clientId, code.userId, ttlSeconds);
        }
        if (body.grant_type === 'refresh_token') {
          const refresh = state.refreshTokens.get(String(body.refresh_token ?? ''));
          if (!refresh || refresh.revoked || refresh.clientId !== clientId)
            return oauthError(400, 'InvalidGrant', 'The refresh token is invalid');
          if (refresh.used) return oauthError(400, 'InvalidGrant', 'The refresh token was already used');
          refresh.used = true;
          return issue(state, clientId, refresh.userId, ttlSeconds);
        }
        return oauthError(400, 'UnsupportedGrantType', 'grant_type must be authorization_code or refresh_token');
      },
    },
    {
      method: 'POST',
      pattern: '/OAuth2/revoke',
      tag: 'swagger',
      handler: (req) => {
        const m = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '');
        const access = m ? state.accessTokens.get(m[1]!) : undefined;
        if (!access) return oauthError(401, 'InvalidAccessToken', 'The access token is not valid');
        access.revoked = true;
        for (const r of state.refreshTokens.values()) if (r.userId === access.userId && r.clientId === access.clientId) r.revoked = true;
        return { status: 200, json: {} };
      },
    },
  ];
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, body: string): SimResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Billit (demo) – sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}</style>
</head><body>${body}</body></html>`,
  };
}

function readForm(req: SimRequest): URLSearchParams {
  const type = req.header('content-type') ?? '';
  if (/json/i.test(type) && req.body && typeof req.body === 'object') {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) p.set(k, String(v));
    return p;
  }
  return new URLSearchParams(req.rawBody.toString('utf8'));
}

function checkClient(state: BillitSimState, params: URLSearchParams): string | null {
  const client = state.oauthClients.get(params.get('client_id') ?? '');
  if (!client) return 'Unknown client_id.';
  const redirect = params.get('redirect_uri') ?? '';
  if (!client.redirectUris.some((registered) => sameRedirect(registered, redirect))) return 'This redirect_uri is not registered for the client.';
  return null;
}

/** Exact match, except that a loopback address may come back on any port (RFC 8252 §7.3). */
function sameRedirect(registered: string, given: string): boolean {
  if (registered === given) return true;
  try {
    const a = new URL(registered);
    const b = new URL(given);
    return a.protocol === 'http:' && a.hostname === '127.0.0.1' && b.protocol === 'http:' && b.hostname === '127.0.0.1' && a.pathname === b.pathname && a.search === b.search;
  } catch {
    return false;
  }
}

export function oauthWebRoutes(state: BillitSimState): SimRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/Account/Logon',
      tag: 'oauth-web',
      handler: (req) => {
        const problem = checkClient(state, req.query);
        if (problem) return page(400, `<h1>Sign-in error</h1><p>${html(problem)}</p>`);
        const client = state.oauthClients.get(req.query.get('client_id')!)!;
        const user = state.users.get(OFFICE_USER_ID)!;
        const hidden = ['client_id', 'redirect_uri', 'state']
          .map((k) => `<input type="hidden" name="${k}" value="${html(req.query.get(k) ?? '')}">`)
          .join('');
        return page(
          200,
          `<h1>Billit (demo office)</h1><p>Signed in as <b>${html(user.email)}</b>.</p>
<p><b>${html(client.name)}</b> asks to access your Billit companies.</p>
<form method="post" action="/Account/Logon">${hidden}
<button name="decision" value="allow" type="submit">Allow</button>
<button name="decision" value="deny" type="submit">Deny</button></form>`,
        );
      },
    },
    {
      method: 'POST',
      pattern: '/Account/Logon',
      tag: 'oauth-web',
      handler: (req) => {
        const form = readForm(req);
        const problem = checkClient(state, form);
        if (problem) return page(400, `<h1>Sign-in error</h1><p>${html(problem)}</p>`);
        const target = new URL(form.get('redirect_uri')!);
        if (form.get('decision') === 'allow') {
          const code = token();
          state.authCodes.set(code, {
            code,
            clientId: form.get('client_id')!,
            userId: OFFICE_USER_ID,
            redirectUri: form.get('redirect_uri')!,
            expiresAt: state.now().getTime() + CODE_TTL_MS,
            used: false,
          });
          target.searchParams.set('code', code);
        } else {
          target.searchParams.set('error', 'access_denied');
        }
        const st = form.get('state');
        if (st) target.searchParams.set('state', st);
        return { status: 302, headers: { Location: target.toString() }, body: '' };
      },
    },
  ];
}
