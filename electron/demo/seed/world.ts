/**
 * The seeded demo world: one accounting office, its Venice Cloud dossiers, their customers and
 * suppliers, and for the dossiers linked in Billit their sales and purchase invoices and bank
 * statements.
 *
 * Everything is a pure function of (seed, dossier index, document index): a dossier's relations,
 * invoices and statements are generated the first time they are asked for, and a document's bytes
 * (UBL, PDF, CODA) are rendered on demand from its header (see `documents.ts`), so 40 dossiers start
 * at once and 400 dossiers with hundreds of thousands of documents fit a benchmark.
 *
 * Money is integer cents throughout; dates are ISO `yyyy-mm-dd`.
 */
import { companyName, emailFor, languageFor, lineItems, person, street, towns, banks, type Lang, type PersonName } from './names';
import { belgianIban, enterpriseNumber, structuredCommunication, vatNumber } from './identifiers';
import { Rng } from './prng';

/** Where a Venice dossier stands on the Billit side. */
export type BillitState =
  /** Not yet in Billit: the accountant adds it (register a company). */
  | 'absent'
  /** The company is in Billit (the entrepreneur's own) but not linked to the office: the link path. */
  | 'unlinked'
  /** Linked to the office: its documents flow. */
  | 'linked'
  /** Created by the office in Billit, but the entrepreneur has not activated the login yet. */
  | 'login-pending';

export const billitStates: readonly BillitState[] = ['absent', 'unlinked', 'linked', 'login-pending'];

export interface DemoAddress {
  street: string;
  number: string;
  box: string | null;
  zip: string;
  city: string;
  country: 'BE';
}

export interface DemoCompany {
  name: string;
  /** BV, SRL, NV, SA, VOF, … or null for a person. */
  legalForm: string | null;
  /** Ten digits, mod-97 valid; null for a private person. */
  enterpriseNumber: string | null;
  /** "BE0427604308", or null. */
  vatNumber: string | null;
  address: DemoAddress;
  /** Null when unknown: the accountant completes it. */
  email: string | null;
  phone: string;
  language: Lang;
  iban: string | null;
  bic: string | null;
  contact: PersonName;
}

export interface DemoRelation extends DemoCompany {
  kind: 'customer' | 'supplier';
  /** Venice's keys: SystemNumber (unique in the dossier), Number / SubNumber. */
  systemNumber: number;
  number: number;
  subNumber: number;
  isPerson: boolean;
  /**
   * Whether the Billit company already has this party at the start (the rest is for the app to import);
   * parties its invoices name are in Billit whatever this says.
   */
  inBillit: boolean;
  /** The account it pays from / is paid on, even when Venice does not record it. */
  bankIban: string;
  bankBic: string;
}

export interface DemoDossierHeader extends DemoCompany {
  index: number;
  /** Venice's dossier id (its URL segment). */
  veniceId: string;
  billit: BillitState;
  /** WebConnect activated for this dossier in Venice (else its data cannot be read). */
  webConnect: boolean;
  /** The e-mail the Billit company has (always set when it is in Billit). */
  billitEmail: string | null;
  /** The dossier's own bank account (its CODA account). */
  bankIban: string;
  bankBic: string;
  bankName: string;
}

export interface DemoLine {
  description: string;
  /** Quantity in hundredths (250 = 2.5). */
  quantity100: number;
  unitPriceCents: number;
  vatPercent: number;
  amountCents: number;
}

export interface DemoVatGroup {
  vatPercent: number;
  taxableCents: number;
  vatCents: number;
}

export interface DemoInvoice {
  /** Stable key: "<veniceId>/<s|p>/<n>". */
  key: string;
  dossierIndex: number;
  /** 0-based position among the dossier's invoices (chronological). */
  seq: number;
  direction: 'sales' | 'purchase';
  type: 'invoice' | 'credit-note';
  number: string;
  issueDate: string;
  dueDate: string;
  /** The dossier's relation on the other side (customer for sales, supplier for purchases). */
  relationSystemNumber: number;
  totalExclCents: number;
  totalVatCents: number;
  totalInclCents: number;
  /** Twelve digits when the invoice carries a structured communication, else null (free text). */
  structuredReference: string | null;
  /** The settlement in the dossier's bank account, or null while unpaid. */
  paidOn: string | null;
  /** Exported to the accountant in Billit (lands in accountant feeds); false for the newest ones and before a link. */
  exported: boolean;
}

export interface DemoMovement {
  /** Signed cents: positive = credit to the dossier's account, negative = debit. */
  amountCents: number;
  valueDate: string;
  entryDate: string;
  /** CODA transaction code pieces. */
  transaction: { type: number; family: string; code: string; category: string };
  /** Twelve-digit structured communication (CODA 101) or a free text. */
  communication: { structured: string } | { free: string };
  counterparty: { name: string; iban: string; bic: string } | null;
  bankReference: string;
  /** The invoice this settles, when it does. */
  invoiceKey: string | null;
}

export interface DemoStatement {
  /** Stable key: "<veniceId>/coda/<n>". */
  key: string;
  dossierIndex: number;
  /** 0-based position among the dossier's statements. */
  seq: number;
  /** CODA sequence number, restarting at 1 each year. */
  sequenceNumber: number;
  date: string;
  oldBalanceCents: number;
  newBalanceCents: number;
  movements: DemoMovement[];
  /** Exported to the accountant (CODA files appear in accountant feeds). */
  exported: boolean;
}

export interface DemoOfficeInfo {
  name: string;
  enterpriseNumber: string;
  vatNumber: string;
  email: string;
  language: Lang;
  address: DemoAddress;
  /** The Venice Cloud administrator login of the office (HTTP Basic for WebConnect). */
  venice: { username: string; password: string };
}

export interface WorldOptions {
  seed?: number;
  /** Number of Venice dossiers (default 40, up to 400 and more). */
  dossiers?: number;
  /** Average invoices per linked dossier over the year (default 36). */
  invoicesPerDossier?: number;
  /** The demo's "today": the last day documents are dated (default 2026-03-31). */
  asOf?: string;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_DOSSIERS = 40;
export const DEFAULT_INVOICES_PER_DOSSIER = 36;
export const DEFAULT_AS_OF = '2026-03-31';

/* ------------------------------------------------------------------------------------------ dates */

const DAY = 86_400_000;
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
export function dayMs(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}
export function addDays(iso: string, days: number): string {
  return isoDay(dayMs(iso) + days * DAY);
}
/** Saturday and Sunday move to the next Monday. */
export function bankingDay(iso: string): string {
  const dow = new Date(dayMs(iso)).getUTCDay();
  return dow === 6 ? addDays(iso, 2) : dow === 0 ? addDays(iso, 1) : iso;
}

/* ------------------------------------------------------------------------------------ the world */

export class DemoWorld {
  readonly seed: number;
  readonly asOf: string;
  readonly invoicesPerDossier: number;
  readonly office: DemoOfficeInfo;
  readonly dossiers: readonly DemoDossier[];
  private readonly byVeniceId = new Map<string, DemoDossier>();

  constructor(options: WorldOptions = {}) {
    this.seed = options.seed ?? DEFAULT_SEED;
    this.asOf = options.asOf ?? DEFAULT_AS_OF;
    this.invoicesPerDossier = options.invoicesPerDossier ?? DEFAULT_INVOICES_PER_DOSSIER;
    const count = options.dossiers ?? DEFAULT_DOSSIERS;
    if (!Number.isInteger(count) || count < 1) throw new Error(`dossiers must be a positive integer, got ${count}`);
    this.office = makeOffice(this.seed);
    const states = assignStates(this.seed, count);
    const dossiers: DemoDossier[] = [];
    const used: Used = { ids: new Set(), enterprise: new Set([this.office.enterpriseNumber]), emails: new Set([this.office.email]) };
    for (let i = 0; i < count; i++) {
      const d = new DemoDossier(this, makeDossierHeader(this.seed, i, states[i]!, used));
      dossiers.push(d);
      this.byVeniceId.set(d.veniceId.toLowerCase(), d);
    }
    this.dossiers = dossiers;
  }

  dossier(veniceId: string): DemoDossier | undefined {
    return this.byVeniceId.get(veniceId.toLowerCase());
  }

  /** Invoices and statements of every dossier (generates every header). */
  documentCount(): number {
    let n = 0;
    for (const d of this.dossiers) n += d.invoices().length + d.statements().length;
    return n;
  }
}

export function createWorld(options: WorldOptions = {}): DemoWorld {
  return new DemoWorld(options);
}

export class DemoDossier {
  readonly header: DemoDossierHeader;
  private relationsMemo: { customers: DemoRelation[]; suppliers: DemoRelation[] } | null = null;
  private invoicesMemo: DemoInvoice[] | null = null;
  private statementsMemo: DemoStatement[] | null = null;

  constructor(
    readonly world: DemoWorld,
    header: DemoDossierHeader,
  ) {
    this.header = header;
  }

  get index(): number {
    return this.header.index;
  }
  get veniceId(): string {
    return this.header.veniceId;
  }
  get name(): string {
    return this.header.name;
  }
  get billit(): BillitState {
    return this.header.billit;
  }
  /**
   * Whether the entrepreneur invoices in Billit: linked companies (the office sees the documents) and
   * companies in Billit not yet linked (it will once the link is accepted).
   */
  get hasDocuments(): boolean {
    return this.header.billit === 'linked' || this.header.billit === 'unlinked';
  }

  customers(): DemoRelation[] {
    return this.relations().customers;
  }
  suppliers(): DemoRelation[] {
    return this.relations().suppliers;
  }
  relation(systemNumber: number): DemoRelation | undefined {
    const { customers, suppliers } = this.relations();
    return customers.find((r) => r.systemNumber === systemNumber) ?? suppliers.find((r) => r.systemNumber === systemNumber);
  }

  relations(): { customers: DemoRelation[]; suppliers: DemoRelation[] } {
    return (this.relationsMemo ??= makeRelations(this.world.seed, this.header));
  }

  /** Sales and purchase invoices, chronological; empty unless the entrepreneur invoices in Billit. */
  invoices(): DemoInvoice[] {
    if (!this.hasDocuments) return [];
    return (this.invoicesMemo ??= makeInvoices(this));
  }

  invoice(seq: number): DemoInvoice | undefined {
    return this.invoices()[seq];
  }

  /** Lines of an invoice, regenerated from its seed (not held in memory). */
  lines(invoice: DemoInvoice): DemoLine[] {
    return makeLines(this.world.seed, this.header, invoice.seq, invoice.direction).lines;
  }

  statements(): DemoStatement[] {
    if (!this.hasDocuments) return [];
    return (this.statementsMemo ??= makeStatements(this));
  }
}

/* ------------------------------------------------------------------------------------ the office */

function makeOffice(seed: number): DemoOfficeInfo {
  const rng = Rng.of(seed, 'office');
  const lang: 'nl' | 'fr' = rng.chance(0.5) ? 'nl' : 'fr';
  const who = person(rng, lang);
  const legalForm = lang === 'nl' ? 'BV' : 'SRL';
  const name = lang === 'nl' ? `Accountantskantoor ${who.last} ${legalForm}` : `Fiduciaire ${who.last} ${legalForm}`;
  const town = rng.pick(towns.filter((t) => t.region === lang));
  const ent = enterpriseNumber(rng);
  const email = emailFor(rng, name, lang);
  return {
    name,
    enterpriseNumber: ent,
    vatNumber: vatNumber(ent),
    email,
    language: lang,
    address: { street: street(rng, lang), number: String(rng.int(1, 180)), box: null, zip: town.zip, city: town.city, country: 'BE' },
    venice: { username: `admin@${email.split('@')[1]}`, password: `venice-demo-${seed}-${rng.digits(6)}` },
  };
}

/* ---------------------------------------------------------------------------------- the dossiers */

/** An exact mix of states, shuffled by the seed: every state appears whenever there are ≥ 4 dossiers. */
function assignStates(seed: number, count: number): BillitState[] {
  const share: Array<[BillitState, number]> = [
    ['unlinked', 0.15],
    ['login-pending', 0.1],
    ['linked', 0.45],
  ];
  const states: BillitState[] = [];
  for (const [state, p] of share) {
    const n = Math.max(count >= 4 ? 1 : 0, Math.round(count * p));
    for (let i = 0; i < n && states.length < count; i++) states.push(state);
  }
  while (states.length < count) states.push('absent');
  return Rng.of(seed, 'states', count).shuffle(states);
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/\b(BV|NV|VOF|COMMV|CV|SRL|SA|SNC|SCOMM|SC)\b/g, '')
    .replace(/[^A-Z0-9]+/g, '')
    .slice(0, 10);
}

function address(rng: Rng, lang: 'nl' | 'fr', zip: string, city: string): DemoAddress {
  return {
    street: street(rng, lang),
    number: String(rng.int(1, 250)) + (rng.chance(0.08) ? rng.pick(['A', 'B', 'C']) : ''),
    box: rng.chance(0.12) ? String(rng.int(1, 12)) : null,
    zip,
    city,
    country: 'BE',
  };
}

function phone(rng: Rng): string {
  return rng.chance(0.5) ? `+32 4${rng.int(60, 99)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}` : `+32 ${rng.int(2, 9)} ${rng.digits(3)} ${rng.digits(2)} ${rng.digits(2)}`;
}

function makeCompany(rng: Rng): DemoCompany {
  const town = rng.pick(towns);
  const language = languageFor(rng, town);
  const wordsLang: 'nl' | 'fr' = language === 'en' ? (town.region === 'fr' ? 'fr' : 'nl') : language;
  const { name, legalForm } = companyName(rng, wordsLang);
  const ent = enterpriseNumber(rng);
  const bank = rng.pick(banks);
  return {
    name,
    legalForm,
    enterpriseNumber: ent,
    vatNumber: vatNumber(ent),
    address: address(rng, wordsLang, town.zip, town.city),
    email: emailFor(rng, name, language),
    phone: phone(rng),
    language,
    iban: belgianIban(rng, bank.code),
    bic: bank.bic,
    contact: person(rng, wordsLang),
  };
}

/** What must stay unique across the office's dossiers (Billit refuses a second company with either). */
interface Used {
  ids: Set<string>;
  enterprise: Set<string>;
  emails: Set<string>;
}

function makeDossierHeader(seed: number, index: number, billit: BillitState, used: Used): DemoDossierHeader {
  const rng = Rng.of(seed, 'dossier', index);
  const company = makeCompany(rng);
  while (used.enterprise.has(company.enterpriseNumber!)) {
    company.enterpriseNumber = enterpriseNumber(rng);
    company.vatNumber = vatNumber(company.enterpriseNumber);
  }
  used.enterprise.add(company.enterpriseNumber!);
  if (used.emails.has(company.email!)) company.email = company.email!.replace(/\.be$/, `-${index + 1}.be`);
  used.emails.add(company.email!);
  const bank = banks.find((b) => b.bic === company.bic) ?? banks[0]!;
  // A quarter of the dossiers have no e-mail in Venice: the accountant completes it before adding them.
  const veniceEmail = rng.chance(0.25) ? null : company.email;
  let veniceId = `${slug(company.name) || 'DOSSIER'}${String(index + 1).padStart(3, '0')}`;
  while (used.ids.has(veniceId)) veniceId += 'X';
  used.ids.add(veniceId);
  return {
    ...company,
    email: veniceEmail,
    index,
    veniceId,
    billit,
    webConnect: index === 0 ? true : !rng.chance(0.04),
    billitEmail: billit === 'absent' ? null : company.email,
    bankIban: company.iban!,
    bankBic: company.bic!,
    bankName: bank.name,
  };
}

/* ---------------------------------------------------------------------------------- the relations */

function makeRelations(seed: number, dossier: DemoDossierHeader): { customers: DemoRelation[]; suppliers: DemoRelation[] } {
  const rng = Rng.of(seed, 'relations', dossier.index);
  const inBillit = dossier.billit === 'linked' || dossier.billit === 'unlinked';
  let system = 0;
  const make = (kind: 'customer' | 'supplier', number: number): DemoRelation => {
    const r = Rng.of(seed, 'relation', dossier.index, kind, number);
    const isPerson = kind === 'customer' && r.chance(0.1);
    const company = makeCompany(r);
    const bank = r.pick(banks);
    const bankIban = company.iban!;
    const base: DemoRelation = {
      ...company,
      kind,
      systemNumber: ++system,
      number,
      subNumber: 0,
      isPerson,
      inBillit: inBillit && r.chance(0.7),
      bankIban,
      bankBic: company.bic ?? bank.bic,
      // Venice often has no e-mail or bank account for a customer; suppliers are paid, so they have one.
      email: r.chance(kind === 'customer' ? 0.3 : 0.15) ? null : company.email,
      iban: kind === 'supplier' || r.chance(0.4) ? bankIban : null,
      bic: null,
    };
    base.bic = base.iban ? base.bankBic : null;
    if (isPerson) {
      const who = company.contact;
      base.name = `${who.first} ${who.last}`;
      base.legalForm = null;
      base.enterpriseNumber = null;
      base.vatNumber = null;
      base.email = r.chance(0.5) ? `${who.first}.${who.last}@example.be`.toLowerCase().replace(/[^a-z0-9.@]/g, '') : null;
    }
    return base;
  };
  const customers: DemoRelation[] = [];
  const suppliers: DemoRelation[] = [];
  const nc = rng.int(5, 30);
  const ns = rng.int(5, 30);
  for (let i = 1; i <= nc; i++) customers.push(make('customer', i));
  for (let i = 1; i <= ns; i++) suppliers.push(make('supplier', i));
  return { customers, suppliers };
}

/* ----------------------------------------------------------------------------------- the invoices */

const PERIOD_DAYS = 365;

function makeLines(seed: number, dossier: DemoDossierHeader, seq: number, direction: 'sales' | 'purchase'): { lines: DemoLine[]; groups: DemoVatGroup[] } {
  const rng = Rng.of(seed, 'lines', dossier.index, seq);
  const lang: 'nl' | 'fr' = dossier.language === 'fr' ? 'fr' : 'nl';
  const items = lineItems[lang];
  const n = rng.weighted<number>([
    [1, 4],
    [2, 3],
    [3, 2],
    [4, 1],
    [6, 1],
  ]);
  const lines: DemoLine[] = [];
  for (let i = 0; i < n; i++) {
    const [description, vatPercent, min, max] = rng.pick(items);
    const hours = /uren|heures/i.test(description);
    // Half quantities only for hours, with even cents so amounts stay exact.
    const quantity100 = hours ? rng.int(1, 16) * 50 : rng.int(1, direction === 'sales' ? 10 : 4) * 100;
    const unitPriceCents = hours ? rng.int(min / 2, max / 2) * 2 : rng.int(min, max);
    lines.push({ description, quantity100, unitPriceCents, vatPercent, amountCents: (quantity100 * unitPriceCents) / 100 });
  }
  return { lines, groups: vatGroups(lines) };
}

/** The VAT breakdown of lines: per rate (highest first), the taxable amount and its VAT rounded to the cent. */
export function vatGroups(lines: readonly DemoLine[]): DemoVatGroup[] {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.vatPercent, (byRate.get(l.vatPercent) ?? 0) + l.amountCents);
  return [...byRate.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([vatPercent, taxableCents]) => ({ vatPercent, taxableCents, vatCents: Math.round((taxableCents * vatPercent) / 100) }));
}

function makeInvoices(dossier: DemoDossier): DemoInvoice[] {
  const { world, header } = dossier;
  const seed = world.seed;
  const rng = Rng.of(seed, 'invoices', header.index);
  const invoiceable = dossier.customers().filter((c) => !c.isPerson);
  const suppliers = dossier.suppliers();
  const count = Math.max(2, Math.round(world.invoicesPerDossier * (0.6 + rng.next() * 0.8)));
  const start = dayMs(world.asOf) - (PERIOD_DAYS - 1) * DAY;
  // Draw directions and dates first, then number chronologically.
  const drafts: Array<{ direction: 'sales' | 'purchase'; issueDate: string; tie: number }> = [];
  for (let i = 0; i < count; i++) {
    const direction = invoiceable.length === 0 || rng.chance(0.45) ? 'purchase' : 'sales';
    drafts.push({ direction, issueDate: isoDay(start + rng.int(0, PERIOD_DAYS - 1) * DAY), tie: i });
  }
  drafts.sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.tie - b.tie));

  const salesPrefix = rng.pick(['F', 'VF', 'INV', '']);
  const salesCounters = new Map<string, number>();
  const purchaseNumbers = new Set<string>();
  // Exported to the office: what a linked company had by a week ago; nothing before a link exists.
  const exportedBefore = header.billit === 'linked' ? addDays(world.asOf, -7) : '0000-00-00';
  return drafts.map((draft, seq): DemoInvoice => {
    const r = Rng.of(seed, 'invoice', header.index, seq);
    const sales = draft.direction === 'sales';
    const relation = sales ? r.pick(invoiceable) : r.pick(suppliers);
    const type: DemoInvoice['type'] = r.chance(0.04) ? 'credit-note' : 'invoice';
    const year = draft.issueDate.slice(0, 4);
    let number: string;
    if (sales) {
      const next = (salesCounters.get(year) ?? 0) + 1;
      salesCounters.set(year, next);
      number = `${salesPrefix}${year}-${String(next).padStart(4, '0')}`;
      if (type === 'credit-note') number = `CN${number}`;
    } else {
      do number = `${r.pick(['F', 'FA', 'INV', 'FV', ''])}${year.slice(2)}${r.pick(['/', '-', ''])}${r.digits(r.int(3, 6))}`;
      while (purchaseNumbers.has(number));
      purchaseNumbers.add(number);
    }
    const { groups } = makeLines(seed, header, seq, draft.direction);
    const totalExclCents = groups.reduce((s, g) => s + g.taxableCents, 0);
    const totalVatCents = groups.reduce((s, g) => s + g.vatCents, 0);
    const terms = r.pick([14, 30, 30, 30, 60]);
    const dueDate = addDays(draft.issueDate, terms);
    const structuredReference = type === 'invoice' && r.chance(sales ? 0.9 : 0.75) ? structuredCommunication(r) : null;
    // Most invoices are paid, between a few days after issue and a few weeks late; credit notes are netted.
    let paidOn: string | null = null;
    if (type === 'invoice' && r.chance(0.88)) {
      const day = bankingDay(addDays(draft.issueDate, r.int(2, terms + 20)));
      if (day <= world.asOf) paidOn = day;
    }
    return {
      key: `${header.veniceId}/${sales ? 's' : 'p'}/${seq}`,
      dossierIndex: header.index,
      seq,
      direction: draft.direction,
      type,
      number,
      issueDate: draft.issueDate,
      dueDate,
      relationSystemNumber: relation.systemNumber,
      totalExclCents,
      totalVatCents,
      totalInclCents: totalExclCents + totalVatCents,
      structuredReference,
      paidOn,
      exported: draft.issueDate < exportedBefore,
    };
  });
}

/* --------------------------------------------------------------------------------- the statements */

function makeStatements(dossier: DemoDossier): DemoStatement[] {
  const { world, header } = dossier;
  const seed = world.seed;
  const rng = Rng.of(seed, 'statements', header.index);
  const movementsByDay = new Map<string, DemoMovement[]>();
  const add = (day: string, m: DemoMovement) => {
    const list = movementsByDay.get(day);
    if (list) list.push(m);
    else movementsByDay.set(day, [m]);
  };

  let refCounter = 0;
  const bankRef = (day: string) => {
    refCounter += 1;
    return `${day.replace(/-/g, '').slice(2)}${String(header.index).padStart(4, '0')}${String(refCounter).padStart(6, '0')}BVL`.slice(0, 21);
  };

  for (const inv of dossier.invoices()) {
    if (!inv.paidOn) continue;
    const relation = dossier.relation(inv.relationSystemNumber)!;
    const sales = inv.direction === 'sales';
    add(inv.paidOn, {
      amountCents: sales ? inv.totalInclCents : -inv.totalInclCents,
      valueDate: inv.paidOn,
      entryDate: inv.paidOn,
      transaction: sales
        ? { type: 0, family: '01', code: '50', category: '000' }
        : { type: 0, family: '01', code: '01', category: '000' },
      communication: inv.structuredReference ? { structured: inv.structuredReference } : { free: `${inv.number}`.slice(0, 53) },
      counterparty: { name: relation.name.slice(0, 35), iban: relation.bankIban, bic: relation.bankBic },
      bankReference: '',
      invoiceKey: inv.key,
    });
  }

  // A monthly account fee on the first banking day of each month in the period.
  const start = addDays(world.asOf, -(PERIOD_DAYS - 1));
  for (let month = new Date(dayMs(start)); ; ) {
    month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    const day = bankingDay(isoDay(month.getTime()));
    if (day > world.asOf) break;
    const lang = header.language === 'fr' ? 'fr' : 'nl';
    add(day, {
      amountCents: -rng.int(450, 1650),
      valueDate: day,
      entryDate: day,
      transaction: { type: 0, family: '35', code: '01', category: '000' },
      communication: { free: lang === 'fr' ? `Frais de gestion de compte ${day.slice(0, 7)}` : `Beheerskosten rekening ${day.slice(0, 7)}` },
      counterparty: null,
      bankReference: '',
      invoiceKey: null,
    });
  }

  const days = [...movementsByDay.keys()].sort();
  let balance = rng.int(500_000, 8_000_000);
  let sequence = 0;
  let year = '';
  const exportedBefore = header.billit === 'linked' ? addDays(world.asOf, -2) : '0000-00-00';
  return days.map((day, seq) => {
    if (day.slice(0, 4) !== year) {
      year = day.slice(0, 4);
      sequence = 0;
    }
    sequence += 1;
    const movements = movementsByDay.get(day)!;
    for (const m of movements) m.bankReference = bankRef(day);
    const oldBalanceCents = balance;
    balance += movements.reduce((s, m) => s + m.amountCents, 0);
    return {
      key: `${header.veniceId}/coda/${seq}`,
      dossierIndex: header.index,
      seq,
      sequenceNumber: sequence,
      date: day,
      oldBalanceCents,
      newBalanceCents: balance,
      movements,
      exported: day <= exportedBefore,
    };
  });
}
