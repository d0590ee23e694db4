import type { SimResponse, SimRoute } from '../sim-server';
import { enterpriseDigits } from '../../../shared/belgian';
import { callContext, idempotent } from './auth';
import {
  activateLogin,
  decideLinkRequest,
  findCompanyByEnterpriseNumber,
  requestLink,
  sendLoginData,
  settleLinkRequest,
  type BillitSimState,
  type SimCompany,
  type SimLinkRequest,
} from './state';
import { fmtDate } from './views';

/**
 * MODELLED, NOT BILLIT'S API. The accountant-portal steps that have no public endpoint (reference §9, §19):
 * "is this enterprise number already a Billit company", "send a link request / read its state", "send login
 * data", and the demo entrepreneur's answer. Billit does these in its web portal (Dossiers → Toevoegen →
 * Koppelen / Verstuur logingegevens). The paths below are this project's invention, under `/portal-modelled/`,
 * and are called only by `electron/core/billit/portal-unverified.ts`.
 *
 * Office calls authenticate like the API (ApiKey / Bearer; the office's credentials).
 * Demo-entrepreneur calls (`/portal-modelled/demo/…`) need no credentials: they stand for the entrepreneur
 * clicking in their own Billit.
 */

export const PORTAL_PREFIX = '/portal-modelled';

const err = (status: number, code: string, description: string): SimResponse => ({
  status,
  json: { errors: [{ Code: code, Description: description }] },
});

function linkJson(state: BillitSimState, r: SimLinkRequest) {
  settleLinkRequest(state, r);
  const company = state.companies.get(r.companyId)!;
  return {
    LinkRequestID: r.id,
    PartyID: r.companyId,
    EnterpriseNumber: company.enterpriseNumber,
    State: r.state,
    RequestedAt: fmtDate(r.requestedAt),
    DecidedAt: fmtDate(r.decidedAt),
  };
}

function companyStatus(state: BillitSimState, c: SimCompany | undefined, enterpriseNumber: string) {
  if (c?.linkRequest) settleLinkRequest(state, c.linkRequest);
  return {
    EnterpriseNumber: enterpriseNumber,
    IsBillitCompany: !!c,
    PartyID: c?.partyId,
    Name: c?.name,
    LinkedToOffice: c?.linkedToOffice ?? false,
    LinkRequestID: c?.linkRequest?.id,
    LinkRequestState: c?.linkRequest?.state,
    LoginActivated: c?.loginActivated,
    LoginDataSentAt: fmtDate(c?.loginDataSentAt),
  };
}

export function portalModelledRoutes(state: BillitSimState): SimRoute[] {
  const office = (handler: SimRoute['handler']): SimRoute['handler'] => (req, ctx) => {
    const c = callContext(state, req);
    if (!('user' in c)) return c;
    if (c.user.kind !== 'office') return err(401, 'Unauthorized', 'Only the accounting office can do this');
    if (req.method === 'POST') return idempotent(state, req, c.subject, () => handler(req, ctx));
    return handler(req, ctx);
  };
  const tag = 'portal-modelled';
  return [
    {
      method: 'GET',
      pattern: `${PORTAL_PREFIX}/v1/companies/{enterpriseNumber}`,
      tag,
      handler: office((req) => {
        const nr = enterpriseDigits(req.params.enterpriseNumber!);
        if (!/^\d{10}$/.test(nr)) return err(400, 'InvalidEnterpriseNumber', `'${req.params.enterpriseNumber}' is not an enterprise number`);
        return { json: companyStatus(state, findCompanyByEnterpriseNumber(state, nr), nr) };
      }),
    },
    {
      method: 'POST',
      pattern: `${PORTAL_PREFIX}/v1/link-requests`,
      tag,
      handler: office((req) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const nr = enterpriseDigits(String(body.EnterpriseNumber ?? ''));
        const company = findCompanyByEnterpriseNumber(state, nr);
        if (!company) return err(400, 'CompanyNotFound', `No Billit company with enterprise number ${nr}`);
        if (company.isOffice) return err(400, 'CannotLinkOffice', 'This is the office itself');
        if (company.linkedToOffice) return err(400, 'AlreadyLinked', 'This company is already linked to the office');
        // A new request replaces a refused one; a pending one is returned as-is (so a retry never makes two).
        const request = requestLink(state, company.partyId);
        return { json: linkJson(state, request) };
      }),
    },
    {
      method: 'GET',
      pattern: `${PORTAL_PREFIX}/v1/link-requests/{linkRequestID}`,
      tag,
      handler: office((req) => {
        const r = state.linkRequests.get(Number(req.params.linkRequestID));
        if (!r) return err(404, 'LinkRequestNotFound', `No link request ${req.params.linkRequestID}`);
        return { json: linkJson(state, r) };
      }),
    },
    {
      method: 'POST',
      pattern: `${PORTAL_PREFIX}/v1/companies/{partyID}/send-login-data`,
      tag,
      handler: office((req) => {
        const company = state.companies.get(Number(req.params.partyID));
        if (!company || !company.linkedToOffice) return err(401, 'WrongPartyID', 'Wrong Party ID');
        if (company.loginActivated) return err(400, 'LoginAlreadyActivated', 'This company already has an active login');
        const body = (req.body ?? {}) as Record<string, unknown>;
        const email = typeof body.Email === 'string' && body.Email.includes('@') ? body.Email : undefined;
        sendLoginData(state, company.partyId, email);
        return {
          json: {
            PartyID: company.partyId,
            SentTo: company.loginDataSentTo,
            SentAt: fmtDate(company.loginDataSentAt),
            LoginActivated: company.loginActivated,
          },
        };
      }),
    },
    // ---- The demo entrepreneur (no credentials: stands for a click in their own Billit)
    ...(['accept', 'refuse'] as const).map(
      (action): SimRoute => ({
        method: 'POST',
        pattern: `${PORTAL_PREFIX}/demo/link-requests/{linkRequestID}/${action}`,
        tag,
        handler: (req) => {
          const r = state.linkRequests.get(Number(req.params.linkRequestID));
          if (!r) return err(404, 'LinkRequestNotFound', `No link request ${req.params.linkRequestID}`);
          decideLinkRequest(state, r.id, action === 'accept' ? 'accepted' : 'refused');
          return { json: linkJson(state, r) };
        },
      }),
    ),
    {
      method: 'POST',
      pattern: `${PORTAL_PREFIX}/demo/companies/{partyID}/activate-login`,
      tag,
      handler: (req) => {
        const company = state.companies.get(Number(req.params.partyID));
        if (!company) return err(404, 'CompanyNotFound', `No company ${req.params.partyID}`);
        activateLogin(state, company.partyId);
        return { json: { PartyID: company.partyId, LoginActivated: true } };
      },
    },
  ];
}
