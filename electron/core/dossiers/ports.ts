/**
 * What linking dossiers needs from Billit and Venice Cloud, in its own words. The clients are bound to these
 * in `office/sources.ts`; the portal steps Billit has no public API for are behind the same surface.
 */
import type { BillitPartyId } from '../../../shared/api/ids';
import type { VeniceDossier, VeniceRelation } from '../venice/types';

/** What Billit knows about an enterprise number (the portal's "is this already a Billit company"). */
export interface BillitCompanyState {
  partyId: BillitPartyId;
  linked: boolean;
  loginActivated: boolean;
  linkRequest: 'pending' | 'accepted' | 'refused' | null;
}

/** A Venice dossier as Billit's "register company" needs it. */
export interface NewCompany {
  name: string;
  enterpriseNumber: string;
  email: string;
  language: string | null;
  address: { street?: string | null; postalCode?: string | null; city?: string | null; country?: string | null } | null;
}

export interface BillitPartyView {
  partyId: BillitPartyId;
  partyType: 'Customer' | 'Supplier';
  nr: string | null;
  name: string;
  vatNumber: string | null;
  email: string | null;
  iban: string | null;
  language: string | null;
  street: string | null;
  streetNumber: string | null;
  zipcode: string | null;
  city: string | null;
  countryCode: string | null;
}

export type BillitPartyFields = Omit<BillitPartyView, 'partyId'>;

/** The Billit companies and their customers and suppliers. */
export interface BillitCompanies {
  companyByEnterpriseNumber(enterpriseNumber: string, signal?: AbortSignal): Promise<BillitCompanyState | null>;
  registerCompany(company: NewCompany, signal?: AbortSignal): Promise<{ partyId: BillitPartyId }>;
  requestLink(enterpriseNumber: string, signal?: AbortSignal): Promise<void>;
  /** Returns the address Billit sent the invitation to, when it says. */
  sendLoginData(partyId: BillitPartyId, email: string | null, signal?: AbortSignal): Promise<{ sentTo: string | null }>;

  listParties(companyId: BillitPartyId, signal?: AbortSignal): Promise<BillitPartyView[]>;
  /** A new party, even where Billit's create-or-update would match another (same VAT number or e-mail). */
  createParty(companyId: BillitPartyId, fields: BillitPartyFields, signal?: AbortSignal): Promise<BillitPartyId>;
  updateParty(companyId: BillitPartyId, partyId: BillitPartyId, fields: Partial<BillitPartyFields>, signal?: AbortSignal): Promise<void>;
}

export interface VeniceSource {
  dossiers(signal?: AbortSignal): Promise<VeniceDossier[]>;
  relations(veniceId: string, signal?: AbortSignal): Promise<VeniceRelation[]>;
}
