import type { SimRequest, SimResponse } from '../sim-server';
import { companiesOfUser, type BillitSimState, type SimCompany, type SimUser } from './state';

/** Authentication, PartyID/ContextPartyID context and idempotency keys, as Billit's reference describes them. */

export const billitError = (status: number, code: string, description: string): SimResponse => ({
  status,
  json: { errors: [{ Code: code, Description: description }] },
});

export interface Caller {
  user: SimUser;
  /** Key under which idempotency keys are remembered. */
  subject: string;
}

/** ApiKey (any case) or Authorization: Bearer. */
export function authenticate(state: BillitSimState, req: SimRequest): Caller | SimResponse {
  const apiKey = req.header('apikey');
  const authorization = req.header('authorization');
  if (apiKey !== undefined) {
    const userId = state.apiKeys.get(apiKey);
    const user = userId === undefined ? undefined : state.users.get(userId);
    if (!user) return billitError(401, 'ApiKeyNotValid', 'The API key is not valid');
    return { user, subject: `user:${user.userId}` };
  }
  if (authorization) {
    const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    const token = m ? state.accessTokens.get(m[1]!) : undefined;
    if (!token) return billitError(401, 'InvalidAccessToken', 'The access token is not valid');
    if (token.revoked) return billitError(401, 'AccessTokenRevoked', 'The access token was revoked');
    if (token.expiresAt <= state.now().getTime()) return billitError(401, 'AccessTokenExpired', 'The access token has expired');
    const user = state.users.get(token.userId);
    if (!user) return billitError(401, 'InvalidAccessToken', 'The access token is not valid');
    return { user, subject: `user:${user.userId}` };
  }
  return billitError(401, 'ApiKeyNotValid', 'No API key or access token');
}

export interface CallContext extends Caller {
  /** The company the call acts for (PartyID, else the user's oldest company). */
  company: SimCompany;
  /** ContextPartyID when sent. */
  contextCompany?: SimCompany;
}

function intHeader(req: SimRequest, name: string): number | undefined | 'bad' {
  const raw = req.header(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  return /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : 'bad';
}

/**
 * The company `partyId` when the user's credentials reach it: the rule of `companiesOfUser`, asked of one
 * company. Every API call checks its PartyID; building and sorting the whole list each time cost more than
 * the call itself in an office with hundreds of companies.
 */
function reachableCompany(state: BillitSimState, user: SimUser, partyId: number): SimCompany | undefined {
  const company = state.companies.get(partyId);
  if (!company) return undefined;
  return user.companyIds.includes(partyId) || (user.kind === 'office' && company.linkedToOffice) ? company : undefined;
}

/** Authentication plus the PartyID / ContextPartyID context. */
export function callContext(state: BillitSimState, req: SimRequest): CallContext | SimResponse {
  const caller = authenticate(state, req);
  if (!('user' in caller)) return caller;
  const partyId = intHeader(req, 'partyid');
  const contextPartyId = intHeader(req, 'contextpartyid');
  if (partyId === 'bad' || contextPartyId === 'bad') return billitError(401, 'WrongPartyID', 'Wrong Party ID');
  let contextCompany: SimCompany | undefined;
  if (contextPartyId !== undefined) {
    contextCompany = reachableCompany(state, caller.user, contextPartyId);
    if (!contextCompany) return billitError(401, 'WrongPartyID', 'Wrong Party ID');
    // Observed with a non-accountant key: ContextPartyID alone is refused.
    if (partyId === undefined && caller.user.kind !== 'office')
      return billitError(401, 'ApiKeyNotValid', 'ContextPartyID needs an accountant login; use PartyID');
  }
  let company: SimCompany | undefined;
  if (partyId !== undefined) {
    company = reachableCompany(state, caller.user, partyId);
    if (!company) return billitError(401, 'WrongPartyID', 'Wrong Party ID');
  } else {
    // Only here the full, ordered list matters (the user's oldest company).
    company = contextCompany ?? companiesOfUser(state, caller.user.userId)[0];
  }
  if (!company) return billitError(401, 'WrongPartyID', 'No company for these credentials');
  return { ...caller, company, contextCompany };
}

/** De-duplicate POSTs on `Idempotency-Key` / `Idempotent-Key`: a key that already succeeded gives 409. */
export async function idempotent(
  state: BillitSimState,
  req: SimRequest,
  subject: string,
  run: () => Promise<SimResponse> | SimResponse,
): Promise<SimResponse> {
  const key = req.header('idempotency-key') ?? req.header('idempotent-key');
  if (!key) return run();
  const id = `${subject}|${key}`;
  let record = state.idempotency.get(id);
  // A retry that arrives while the first attempt is still running waits for it.
  while (record?.status === 'in-flight') {
    await record.done;
    record = state.idempotency.get(id);
  }
  if (record?.status === 'done')
    return billitError(409, 'Idempotent token already exists', `The idempotency key '${key}' was already used`);
  let release!: () => void;
  state.idempotency.set(id, { status: 'in-flight', done: new Promise<void>((r) => (release = r)) });
  try {
    const response = await run();
    const ok = (response.status ?? 200) < 300;
    // The key is stored only when the call succeeds.
    if (ok) state.idempotency.set(id, { status: 'done' });
    else state.idempotency.delete(id);
    return response;
  } catch (error) {
    state.idempotency.delete(id);
    throw error;
  } finally {
    release();
  }
}

