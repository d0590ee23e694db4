/**
 * The Venice Cloud simulator's data: the office's dossiers and their customers and suppliers, read from the
 * seeded demo world (lazily, per dossier) plus whatever was created through the API, and the office
 * administrator's login.
 *
 * Records are kept the way WebConnect shows them: `Fields` with string values.
 */
import type { DemoDossier, DemoRelation, DemoWorld } from '../seed/world';
import { formatEnterpriseNumber, formatIban } from '../../../shared/belgian';

export type VeniceRecord = Record<string, string>;
export type RelationKind = 'customer' | 'supplier';

/**
 * The simulator's own copy of the field names: the ones the public WebConnect docs show (`Name`, `VatNum`,
 * `LegalForm`, `PostalCode`, `City`, `Contact`, the keys `SystemNumber`, `Number`, `SubNumber`,
 * `SyncReference`) and the modelled rest (`Street`, `CountryCode`, `Email`, `Phone`, `Language`, `Iban`,
 * `Bic`; the dossier's `DossierId` and `WebConnect`). Written here rather than taken from the client, so a
 * field name the client gets wrong is refused by the simulator and its tests catch it.
 */
export const RELATION_FIELD_NAMES = [
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

export const DOSSIER_FIELD_NAMES = ['DossierId', 'Name', 'LegalForm', 'VatNum', 'Street', 'PostalCode', 'City', 'CountryCode', 'Email', 'Language', 'WebConnect'] as const;

/** Numeric columns (typed as numbers in OData). */
export const NUMERIC_FIELDS: ReadonlySet<string> = new Set(['SystemNumber', 'Number', 'SubNumber']);

const LANGUAGE_CODE = { nl: 'N', fr: 'F', en: 'E' } as const;

/** The spellings people type VAT numbers in, varied per record so the client's normalization is exercised. */
function veniceVat(enterprise: string | null, variant: number): string {
  if (!enterprise) return '';
  switch (variant % 7) {
    case 5:
      return `BE${enterprise}`;
    case 6:
      return formatEnterpriseNumber(enterprise);
    default:
      return `BE ${formatEnterpriseNumber(enterprise)}`;
  }
}

function streetLine(address: { street: string; number: string; box: string | null }, french: boolean): string {
  return `${address.street} ${address.number}${address.box ? (french ? ` bte ${address.box}` : ` bus ${address.box}`) : ''}`;
}

export function relationRecord(r: DemoRelation): VeniceRecord {
  return {
    SystemNumber: String(r.systemNumber),
    Number: String(r.number),
    SubNumber: String(r.subNumber),
    Name: r.name,
    LegalForm: r.legalForm ?? '',
    VatNum: veniceVat(r.enterpriseNumber, r.systemNumber),
    Street: streetLine(r.address, r.language === 'fr'),
    PostalCode: r.address.zip,
    City: r.address.city,
    CountryCode: r.address.country,
    Email: r.email ?? '',
    Phone: r.phone,
    Language: LANGUAGE_CODE[r.language],
    Iban: r.iban ? (r.systemNumber % 3 === 0 ? formatIban(r.iban) : r.iban) : '',
    Bic: r.bic ?? '',
    Contact: `${r.contact.first} ${r.contact.last}`,
    SyncReference: '',
  };
}

export function dossierRecord(d: DemoDossier, webConnect: boolean): VeniceRecord {
  const h = d.header;
  return {
    DossierId: h.veniceId,
    Name: h.name,
    LegalForm: h.legalForm ?? '',
    VatNum: veniceVat(h.enterpriseNumber, h.index),
    Street: streetLine(h.address, h.language === 'fr'),
    PostalCode: h.address.zip,
    City: h.address.city,
    CountryCode: h.address.country,
    Email: h.email ?? '',
    Language: LANGUAGE_CODE[h.language],
    WebConnect: webConnect ? 'true' : 'false',
  };
}

export class VeniceSimState {
  /** The office administrator's login (HTTP Basic). */
  credentials: { username: string; password: string };
  private readonly relationsMemo = new Map<string, VeniceRecord[]>();
  private readonly webConnectOverride = new Map<string, boolean>();

  constructor(
    readonly world: DemoWorld,
    credentials?: { username: string; password: string },
  ) {
    this.credentials = { ...(credentials ?? world.office.venice) };
  }

  dossiers(): readonly DemoDossier[] {
    return this.world.dossiers;
  }

  dossier(veniceId: string): DemoDossier | undefined {
    return this.world.dossier(veniceId);
  }

  webConnect(d: DemoDossier): boolean {
    return this.webConnectOverride.get(d.veniceId) ?? d.header.webConnect;
  }

  /** Activate or deactivate WebConnect for a dossier (as the accountant would in Venice). */
  setWebConnect(veniceId: string, on: boolean): void {
    const d = this.dossier(veniceId);
    if (!d) throw new Error(`No dossier ${veniceId}`);
    this.webConnectOverride.set(d.veniceId, on);
  }

  /** Customers or suppliers of a dossier as Venice records (the world's, then those created through the API). */
  relations(veniceId: string, kind: RelationKind): VeniceRecord[] {
    const d = this.dossier(veniceId);
    if (!d) throw new Error(`No dossier ${veniceId}`);
    const key = `${d.veniceId}\n${kind}`;
    let list = this.relationsMemo.get(key);
    if (!list) {
      list = (kind === 'customer' ? d.customers() : d.suppliers()).map(relationRecord);
      this.relationsMemo.set(key, list);
    }
    return list;
  }

  /**
   * A new customer or supplier: SystemNumber is unique across the dossier's customers and suppliers;
   * Number is the next free one of its kind unless given.
   */
  addRelation(veniceId: string, kind: RelationKind, fields: Record<string, string>): VeniceRecord {
    const list = this.relations(veniceId, kind);
    const other = this.relations(veniceId, kind === 'customer' ? 'supplier' : 'customer');
    const maxSystem = Math.max(0, ...list.map((r) => Number(r.SystemNumber)), ...other.map((r) => Number(r.SystemNumber)));
    const maxNumber = Math.max(0, ...list.map((r) => Number(r.Number)));
    const record: VeniceRecord = Object.fromEntries(RELATION_FIELD_NAMES.map((n) => [n, ''])) as VeniceRecord;
    Object.assign(record, fields);
    record.SystemNumber = String(maxSystem + 1);
    record.Number = fields.Number && /^\d+$/.test(fields.Number) ? fields.Number : String(maxNumber + 1);
    record.SubNumber = fields.SubNumber && /^\d+$/.test(fields.SubNumber) ? fields.SubNumber : '0';
    list.push(record);
    return record;
  }
}
