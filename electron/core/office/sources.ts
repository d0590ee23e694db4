/**
 * The Billit and Venice Cloud clients, bound to what linking dossiers and the sync need of them
 * (`dossiers/ports.ts`, `sync/ports.ts`).
 *
 * Incremental order pages are asked with an exact keyset filter, `LastModified gt c or (LastModified eq c
 * and OrderID gt id)`, ordered by (LastModified, OrderID) with `$top`: one request per page, and a
 * no-change re-run gets an empty page in one request. One page per call: the engine moves its cursor
 * between pages.
 */
import { asBillitPartyId } from '../../../shared/api/ids';
import { type BillitClient, type BillitParty, type BillitPortalUnverified } from '../billit';
import * as billitReplies from '../billit/schemas';
import { listDossiers, type VeniceClient } from '../venice';
import type { BillitCompanies, BillitCompanyState, BillitPartyFields, BillitPartyView, NewCompany, VeniceSource } from '../dossiers/ports';
import type { BillitOrders, FeedItemView, OrderPage } from '../sync/ports';
import { FEED_NAME } from '../sync/reads';

/** Billit, as the office's rooms see it: its companies (linking) and its orders and feed (the sync). */
export type BillitSource = BillitCompanies & BillitOrders;


function dateTimeLiteral(stamp: string): string {
  return `DateTime'${stamp}'`;
}

function keysetFilter(after: { lastModified: string; orderId: number } | null): string | undefined {
  if (!after) return undefined;
  const at = dateTimeLiteral(after.lastModified);
  return `(LastModified gt ${at} or (LastModified eq ${at} and OrderID gt ${after.orderId}))`;
}

function toPartyView(p: BillitParty): BillitPartyView {
  return {
    partyId: asBillitPartyId(p.PartyID!),
    partyType: p.PartyType === 'Supplier' ? 'Supplier' : 'Customer',
    nr: p.Nr ?? null,
    name: p.Name ?? '',
    vatNumber: p.VATNumber ?? null,
    email: p.Email ?? null,
    iban: p.IBAN ?? null,
    language: p.Language ?? null,
    street: p.Street ?? null,
    streetNumber: p.StreetNumber ?? null,
    zipcode: p.Zipcode ?? null,
    city: p.City ?? null,
    countryCode: p.CountryCode ?? null,
  };
}

function toBillitParty(fields: Partial<BillitPartyFields>): BillitParty {
  const out: BillitParty = {};
  if (fields.partyType) out.PartyType = fields.partyType;
  if (fields.nr) out.Nr = fields.nr;
  if (fields.name) out.Name = fields.name;
  if (fields.vatNumber) out.VATNumber = fields.vatNumber;
  if (fields.email) out.Email = fields.email;
  if (fields.iban) out.IBAN = fields.iban;
  if (fields.language) out.Language = fields.language;
  if (fields.street) out.Street = fields.street;
  if (fields.streetNumber) out.StreetNumber = fields.streetNumber;
  if (fields.zipcode) out.Zipcode = fields.zipcode;
  if (fields.city) out.City = fields.city;
  if (fields.countryCode) out.CountryCode = fields.countryCode;
  return out;
}

export function billitSource(client: BillitClient, portal: BillitPortalUnverified): BillitSource {
  let feedReady: Promise<void> | null = null;
  const ensureFeed = (signal?: AbortSignal) => {
    feedReady ??= client.ensureFeed(FEED_NAME, signal).catch((error: unknown) => {
      feedReady = null;
      throw error;
    });
    return feedReady;
  };

  async function page(path: string, companyId: number, after: { lastModified: string; orderId: number } | null, top: number, signal?: AbortSignal): Promise<OrderPage> {
    const filter = keysetFilter(after);
    const res = await client.raw.request({
      method: 'GET',
      path,
      query: { ...(filter ? { $filter: filter } : {}), $orderby: 'LastModified asc,OrderID asc', $top: top },
      context: client.contextFor(companyId),
      reply: billitReplies.orderKeyPage,
      signal,
    });
    return { items: res.data.Items.map((o) => ({ orderId: o.OrderID, lastModified: o.LastModified ?? '' })) };
  }

  return {
    async companyByEnterpriseNumber(enterpriseNumber, signal): Promise<BillitCompanyState | null> {
      const s = await portal.findBillitCompany(enterpriseNumber, signal);
      if (!s.isBillitCompany || s.partyId === undefined) return null;
      return { partyId: asBillitPartyId(s.partyId), linked: s.linkedToOffice, loginActivated: s.loginActivated !== false, linkRequest: s.linkRequestState ?? null };
    },
    async registerCompany(company: NewCompany, signal) {
      const [street, ...rest] = (company.address?.street ?? '').split(/\s+(?=\d)/);
      const result = await client.registerCompany(
        {
          Company: {
            Name: company.name,
            Email: company.email,
            // Venice's dossier list has no phone number and Billit requires one: a placeholder the
            // entrepreneur replaces at first login (reported to the accountant in the README's open points).
            Phone: '-',
            VATNumber: `BE${company.enterpriseNumber}`,
            Language: company.language ? company.language.toUpperCase() : undefined,
            Street: street || undefined,
            StreetNumber: rest.join(' ') || undefined,
            Zipcode: company.address?.postalCode ?? undefined,
            City: company.address?.city ?? undefined,
            CountryCode: company.address?.country ?? 'BE',
          },
        },
        signal,
      );
      return { partyId: asBillitPartyId(result.companyId) };
    },
    async requestLink(enterpriseNumber, signal) {
      await portal.sendLinkRequest(enterpriseNumber, signal);
    },
    async sendLoginData(partyId, email, signal) {
      const sent = await portal.sendLoginData(partyId, email ?? undefined, signal);
      return { sentTo: sent.sentTo ?? null };
    },

    async listParties(companyId, signal) {
      return (await client.listParties(companyId, { signal })).map(toPartyView);
    },
    async createParty(companyId, fields, signal) {
      // POST /v1/parties is Billit's create-or-update: it lands on an existing party with the same VAT
      // number or e-mail. Sent with those, a relation sharing an e-mail with another (a group's accounting
      // address) or a VAT number (a branch) would overwrite that other's party, and the two would take
      // turns at it on every resync. So the party is made with only its own Venice number, which no other
      // party carries, and gets the rest by PATCH, which matches nothing.
      const { partyType, nr, name, ...rest } = fields;
      const id = await client.createOrUpdateParty(companyId, { PartyType: partyType, Nr: nr ?? undefined, Name: name }, signal);
      const delta = toBillitParty(rest);
      if (Object.keys(delta).length)
        await client.raw.request({ method: 'PATCH', path: `/v1/parties/${id}`, context: client.contextFor(companyId), json: delta, reply: billitReplies.unread, signal });
      return asBillitPartyId(id);
    },
    async updateParty(companyId, partyId, fields, signal) {
      await client.raw.request({
        method: 'PATCH',
        path: `/v1/parties/${partyId}`,
        context: client.contextFor(companyId),
        json: toBillitParty(fields),
        reply: billitReplies.unread,
        signal,
      });
    },

    ordersSince: (companyId, after, top, signal) => page('/v1/orders', companyId, after, top, signal),
    deletedOrdersSince: (companyId, after, top, signal) => page('/v1/orders/deleted', companyId, after, top, signal),

    async feedItems(signal): Promise<FeedItemView[]> {
      await ensureFeed(signal);
      const items = await client.pollFeed(FEED_NAME, signal);
      return items.map((i) => ({ feedItemId: i.FeedItemID, entityType: i.EntityType, entityId: i.EntityID, partyId: i.PartyID }));
    },
  };
}

export function veniceSource(client: VeniceClient): VeniceSource {
  return {
    dossiers: (signal) => listDossiers(client, { signal }),
    async relations(veniceId, signal) {
      const customers = await client.listRelations(veniceId, 'customer', { signal });
      const suppliers = await client.listRelations(veniceId, 'supplier', { signal });
      return [...customers, ...suppliers];
    },
  };
}
