/**
 * What the app gets from Venice Cloud, normalized for Billit: a dossier (one client company of the
 * office) and its relations (customers and suppliers) with the fields a Billit party needs.
 */

export type VeniceLanguage = 'nl' | 'fr' | 'en' | 'de';

export interface VeniceAddress {
  street: string;
  /** House number as written ("12", "12A"); '' when the street line has none. */
  streetNumber: string;
  box: string | null;
  zipcode: string;
  city: string;
  /** ISO 3166-1 alpha-2, default 'BE'. */
  countryCode: string;
}

export interface VeniceDossier {
  /** Venice's dossier id (the `{DossierId}` URL segment). */
  veniceId: string;
  name: string;
  legalForm: string | null;
  /** Ten digits when Venice holds a valid Belgian number. */
  enterpriseNumber: string | null;
  /** Normal form (`BE0123456789`) when valid. */
  vatNumber: string | null;
  /** What Venice wrote when it is not a valid number (for the UI to flag), else absent. */
  vatNumberInvalid?: string;
  address: VeniceAddress | null;
  email: string | null;
  language: VeniceLanguage | null;
  /** Whether WebConnect is activated for the dossier (null when Venice does not say). */
  webConnect: boolean | null;
}

export type RelationKind = 'customer' | 'supplier';

export interface VeniceRelation {
  kind: RelationKind;
  /** Venice keys: SystemNumber is unique in the dossier; Number/SubNumber is what the accountant sees. */
  systemNumber: number;
  number: number;
  subNumber: number;
  name: string;
  legalForm: string | null;
  vatNumber: string | null;
  vatNumberInvalid?: string;
  enterpriseNumber: string | null;
  address: VeniceAddress | null;
  email: string | null;
  phone: string | null;
  iban: string | null;
  bic: string | null;
  language: VeniceLanguage | null;
  contact: string | null;
  /** Caller-owned external id (WebConnect's SyncReference key), when set. */
  syncReference: string | null;
}

/** The fields of a relation to create in Venice (WebConnect `POST …/Customer|Supplier`). */
export interface NewVeniceRelation {
  name: string;
  legalForm?: string;
  vatNumber?: string;
  address?: Partial<VeniceAddress>;
  email?: string;
  phone?: string;
  iban?: string;
  bic?: string;
  language?: VeniceLanguage;
  /** Makes the create safe to retry: a lookup by this key finds a create whose answer was lost. */
  syncReference?: string;
}

export interface RelationKeys {
  systemNumber: number;
  number: number;
  subNumber: number;
}
