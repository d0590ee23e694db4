import { AppError } from '../../../shared/api/errors';
import { enterpriseDigits } from '../../../shared/belgian';
import type { BillitClient } from './client';
import { BillitError } from './errors';
import { portalReplies } from './schemas';
import type * as z from 'zod/mini';

/**
 * NOT VERIFIED AGAINST PRODUCTION. Billit's accountant portal does these steps in its web UI and publishes no
 * API for them (reference §9 and §19): "is this enterprise number already a Billit company", "send a link
 * request / read its state (pending, accepted, refused)", "send login data". This module calls endpoints that
 * exist only in the demo office's simulator (`/portal-modelled/…`, `electron/demo/billit/portal-modelled.ts`).
 * Against Billit's real API they answer 404, which becomes a clear 'remote' error: do the step in Billit's
 * accountant portal instead. Everything else the app does with Billit goes through `client.ts` and the public
 * swagger. The README lists this module as unverified.
 */

export const PORTAL_UNVERIFIED_PREFIX = '/portal-modelled';

export type LinkRequestState = 'pending' | 'accepted' | 'refused';

export interface BillitCompanyStatus {
  enterpriseNumber: string;
  isBillitCompany: boolean;
  partyId?: number;
  name?: string;
  linkedToOffice: boolean;
  linkRequestId?: number;
  linkRequestState?: LinkRequestState;
  loginActivated?: boolean;
}

export interface LinkRequest {
  linkRequestId: number;
  partyId: number;
  enterpriseNumber: string;
  state: LinkRequestState;
  requestedAt?: string;
  decidedAt?: string;
}

export interface LoginDataSent {
  partyId: number;
  sentTo?: string;
  sentAt?: string;
}

const MODELLED_404 = ['LinkRequestNotFound', 'CompanyNotFound'];

function notAvailable(error: unknown, step: string): never {
  // A 404 that is not one of the modelled steps' own answers: the route itself does not exist there.
  if (error instanceof BillitError && error.status === 404 && !MODELLED_404.some((c) => error.hasCode(c)))
    throw new AppError(
      'remote',
      `"${step}" has no public Billit API and this Billit environment does not offer the modelled one: do it in Billit's accountant portal.`,
      error.toData(),
    );
  throw error;
}

function linkFrom(json: z.output<typeof portalReplies.linkRequest>): LinkRequest {
  const state = json.State.toLowerCase();
  if (state !== 'pending' && state !== 'accepted' && state !== 'refused') throw new AppError('remote', `Unknown link request state '${json.State}'`);
  return {
    linkRequestId: json.LinkRequestID,
    partyId: json.PartyID,
    enterpriseNumber: json.EnterpriseNumber ?? '',
    state,
    requestedAt: json.RequestedAt ?? undefined,
    decidedAt: json.DecidedAt ?? undefined,
  };
}

/** The three portal steps, through the client's transport (same credentials, retries, idempotency keys). */
export function createBillitPortalUnverified(client: BillitClient) {
  const office = client.officeContext();
  const request = async <S extends z.ZodMiniType>(method: 'GET' | 'POST', path: string, json: unknown, reply: S, step: string, signal?: AbortSignal): Promise<z.output<S>> => {
    try {
      return (await client.raw.request({ method, path: PORTAL_UNVERIFIED_PREFIX + path, json, context: office, reply, signal })).data;
    } catch (error) {
      notAvailable(error, step);
    }
  };

  return {
    /** Is this enterprise number already a Billit company (and is it linked to the office)? */
    async findBillitCompany(enterpriseNumber: string, signal?: AbortSignal): Promise<BillitCompanyStatus> {
      const digits = enterpriseDigits(enterpriseNumber);
      if (!/^\d{10}$/.test(digits)) throw new AppError('invalid-input', `'${enterpriseNumber}' is not an enterprise number`);
      const j = await request('GET', `/v1/companies/${digits}`, undefined, portalReplies.company, 'is this a Billit company', signal);
      const state = typeof j.LinkRequestState === 'string' ? (j.LinkRequestState.toLowerCase() as LinkRequestState) : undefined;
      return {
        enterpriseNumber: digits,
        isBillitCompany: j.IsBillitCompany,
        partyId: j.PartyID ?? undefined,
        name: j.Name ?? undefined,
        linkedToOffice: j.LinkedToOffice === true,
        linkRequestId: j.LinkRequestID ?? undefined,
        linkRequestState: state,
        loginActivated: j.LoginActivated ?? undefined,
      };
    },
    /** Ask the entrepreneur to link their Billit company to the office; it stays pending until they answer. */
    async sendLinkRequest(enterpriseNumber: string, signal?: AbortSignal): Promise<LinkRequest> {
      const digits = enterpriseDigits(enterpriseNumber);
      return linkFrom(await request('POST', '/v1/link-requests', { EnterpriseNumber: digits }, portalReplies.linkRequest, 'send a link request', signal));
    },
    async getLinkRequest(linkRequestId: number, signal?: AbortSignal): Promise<LinkRequest> {
      return linkFrom(await request('GET', `/v1/link-requests/${linkRequestId}`, undefined, portalReplies.linkRequest, 'read a link request', signal));
    },
    /** E-mail the entrepreneur the invitation that activates their login (30-day trial). */
    async sendLoginData(partyId: number, email?: string, signal?: AbortSignal): Promise<LoginDataSent> {
      const j = await request(
        'POST',
        `/v1/companies/${partyId}/send-login-data`,
        email ? { Email: email } : {},
        portalReplies.loginDataSent,
        'send login data',
        signal,
      );
      return { partyId: j.PartyID, sentTo: j.SentTo ?? undefined, sentAt: j.SentAt ?? undefined };
    },
  };
}

export type BillitPortalUnverified = ReturnType<typeof createBillitPortalUnverified>;
