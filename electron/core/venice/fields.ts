/**
 * Venice field names and their mapping to the app's types.
 *
 * Follows the public WebConnect docs: `Name`, `VatNum` (spelled "BE 0427.604.308"), `LegalForm`,
 * `PostalCode`, `City`, `Contact`, and the keys `SystemNumber`, `Number`, `SubNumber`, `SyncReference`.
 * MODELLED (not in the public docs, to verify against a real Venice Cloud): `Street` (street and house
 * number in one line), `CountryCode`, `Email`, `Phone`, `Language` (N/F/E/D), `Iban`, `Bic`, the dossier
 * fields `DossierId` and `WebConnect`, and the OData table of suppliers (`SUP`; customers are `CST`, which
 * the docs confirm). Everything that guesses a name lives in this file.
 */
import { normalizeBic, normalizeIban, parseVat } from '../../../shared/belgian';
import type { RelationKind, VeniceAddress, VeniceDossier, VeniceLanguage, VeniceRelation } from './types';

export const RELATION_FIELDS = [
  'SystemNumber',
  'Number',
  'SubNumber',
  'Name',
  'LegalForm',
  'VatNum',
  'Street',
  'PostalCode',
  'City',
  'CountryCode',
  'Email',
  'Phone',
  'Language',
  'Iban',
  'Bic',
  'Contact',
  'SyncReference',
] as const;

export const DOSSIER_FIELDS = [
  'DossierId',
  'Name',
  'LegalForm',
  'VatNum',
  'Street',
  'PostalCode',
  'City',
  'CountryCode',
  'Email',
  'Language',
  'WebConnect',
] as const;

/** WebConnect controller names (REST) and OData tables per kind. */
export const CONTROLLER: Record<RelationKind, 'Customer' | 'Supplier'> = { customer: 'Customer', supplier: 'Supplier' };
export const ODATA_TABLE: Record<RelationKind, string> = { customer: 'CST', supplier: 'SUP' };
/** The pluralised array node of the `Request`/`Response` envelopes. */
export const PLURAL: Record<'Customer' | 'Supplier' | 'Dossier', string> = { Customer: 'Customers', Supplier: 'Suppliers', Dossier: 'Dossiers' };

/** A record's fields as Venice sends them: strings in the REST envelopes, typed values in OData. */
export type VeniceFields = Record<string, unknown>;

function text(fields: VeniceFields, name: string): string | null {
  const v = fields[name];
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function int(fields: VeniceFields, name: string): number {
  const v = Number(text(fields, name) ?? NaN);
  return Number.isFinite(v) ? Math.trunc(v) : 0;
}

const LANGUAGES: Record<string, VeniceLanguage> = {
  n: 'nl', nl: 'nl', nld: 'nl', dut: 'nl', dutch: 'nl', nederlands: 'nl', '0': 'nl',
  f: 'fr', fr: 'fr', fra: 'fr', fre: 'fr', french: 'fr', francais: 'fr', français: 'fr', '1': 'fr',
  e: 'en', en: 'en', eng: 'en', english: 'en', engels: 'en', anglais: 'en', '2': 'en',
  d: 'de', de: 'de', deu: 'de', ger: 'de', german: 'de', duits: 'de', allemand: 'de', '3': 'de',
};

export function mapLanguage(value: string | null): VeniceLanguage | null {
  if (!value) return null;
  return LANGUAGES[value.trim().toLowerCase()] ?? null;
}

/** The code Venice uses for a language when the app writes one. */
export function languageCode(language: VeniceLanguage): string {
  return { nl: 'N', fr: 'F', en: 'E', de: 'D' }[language];
}

const BOX = String.raw`(?:bus|bte|boîte|boite|box|b\.|b)`;
const STREET_LINE = new RegExp(
  String.raw`^(.*?\D)[\s,]+(\d+[A-Za-z]{0,2}(?:-\d+[A-Za-z]?)?)(?:\s*(?:/|,?\s*${BOX}\s*)\s*([A-Za-z0-9.-]+))?\s*$`,
  'i',
);

/** "Kerkstraat 12 bus 3" → street "Kerkstraat", number "12", box "3"; "Rue du 11 Novembre 5/2" → "Rue du 11 Novembre", "5", "2". */
export function splitStreet(line: string): { street: string; streetNumber: string; box: string | null } {
  const s = line.trim().replace(/\s+/g, ' ');
  const m = STREET_LINE.exec(s);
  if (!m) return { street: s, streetNumber: '', box: null };
  return { street: m[1]!.replace(/[\s,]+$/, ''), streetNumber: m[2]!, box: m[3] ?? null };
}

export function joinStreet(address: Partial<VeniceAddress>): string {
  const number = address.streetNumber ? ` ${address.streetNumber}` : '';
  const box = address.box ? ` bus ${address.box}` : '';
  return `${address.street ?? ''}${number}${box}`.trim();
}

function address(fields: VeniceFields): VeniceAddress | null {
  const streetLine = text(fields, 'Street');
  const zipcode = text(fields, 'PostalCode');
  const city = text(fields, 'City');
  if (!streetLine && !zipcode && !city) return null;
  const { street, streetNumber, box } = splitStreet(streetLine ?? '');
  return { street, streetNumber, box, zipcode: zipcode ?? '', city: city ?? '', countryCode: (text(fields, 'CountryCode') ?? 'BE').toUpperCase() };
}

function vat(fields: VeniceFields): Pick<VeniceRelation, 'vatNumber' | 'enterpriseNumber' | 'vatNumberInvalid'> {
  const raw = text(fields, 'VatNum');
  if (!raw) return { vatNumber: null, enterpriseNumber: null };
  const parsed = parseVat(raw);
  if (!parsed.ok) return { vatNumber: null, enterpriseNumber: null, vatNumberInvalid: raw };
  return { vatNumber: parsed.value.normalized, enterpriseNumber: parsed.value.country === 'BE' ? parsed.value.number : null };
}

function email(fields: VeniceFields): string | null {
  const e = text(fields, 'Email');
  return e && e.includes('@') ? e : null;
}

export function toRelation(kind: RelationKind, fields: VeniceFields): VeniceRelation {
  const iban = text(fields, 'Iban');
  const bic = text(fields, 'Bic');
  return {
    kind,
    systemNumber: int(fields, 'SystemNumber'),
    number: int(fields, 'Number'),
    subNumber: int(fields, 'SubNumber'),
    name: text(fields, 'Name') ?? '',
    legalForm: text(fields, 'LegalForm'),
    ...vat(fields),
    address: address(fields),
    email: email(fields),
    phone: text(fields, 'Phone'),
    iban: iban ? normalizeIban(iban) : null,
    bic: bic ? normalizeBic(bic) : null,
    language: mapLanguage(text(fields, 'Language')),
    contact: text(fields, 'Contact'),
    syncReference: text(fields, 'SyncReference'),
  };
}

export function toDossier(fields: VeniceFields): VeniceDossier {
  const web = text(fields, 'WebConnect');
  const { vatNumber, enterpriseNumber, vatNumberInvalid } = vat(fields);
  return {
    veniceId: text(fields, 'DossierId') ?? '',
    name: text(fields, 'Name') ?? '',
    legalForm: text(fields, 'LegalForm'),
    enterpriseNumber,
    vatNumber,
    ...(vatNumberInvalid ? { vatNumberInvalid } : {}),
    address: address(fields),
    email: email(fields),
    language: mapLanguage(text(fields, 'Language')),
    webConnect: web === null ? null : /^(true|1|yes)$/i.test(web),
  };
}
