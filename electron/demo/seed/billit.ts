/**
 * Puts the demo world on the Billit side, through the Billit simulator's mutation functions
 * (`electron/demo/billit/state.ts`): the office, one company per dossier that is in Billit (linked, not yet
 * linked, or created with the login not yet activated), the KBO register for every dossier, the parties
 * Billit already has, the invoices as orders (their UBL and PDF rendered when read), and the bank statements
 * as CODA files. Exported documents land in whatever accountant feeds exist; `exportPending` exports the rest
 * later (the demo entrepreneur at work).
 */
import { formatStructuredCommunication } from '../../../shared/belgian';
import {
  addCompany,
  addKboEntry,
  addLazyCodaFile,
  addOrder,
  addParty,
  attachLazyOrderFiles,
  exportCodaFile,
  exportOrder,
  type BillitSimState,
  type EntrepreneurBehaviour,
  type Language,
  type SimAddress,
} from '../billit/state';
import { codaFileName, pdfFileName, renderCoda, renderPdf, renderUbl, ublFileName } from './documents';
import type { DemoAddress, DemoCompany, DemoDossier, DemoWorld } from './world';

export interface BillitPopulation {
  /** Billit PartyID of each dossier's company, by dossier index (absent dossiers have none). */
  companyOf: Map<number, number>;
  /** OrderID by invoice key. */
  orderOf: Map<string, number>;
  /** CODA file id by statement key. */
  codaOf: Map<string, number>;
  /** Orders and CODA files not exported yet, oldest first. */
  pending: Array<{ kind: 'order' | 'coda'; id: number; date: string }>;
}

function simAddress(a: DemoAddress): SimAddress {
  return { street: a.street, streetNumber: a.number, ...(a.box ? { box: a.box } : {}), zipcode: a.zip, city: a.city, countryCode: a.country };
}

function billitLanguage(language: DemoCompany['language']): Language {
  return language.toUpperCase() as Language;
}

/** Noon Brussels-ish on a day, so dates never slip a day in any time zone. */
function at(day: string, hour = 10): Date {
  return new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
}

/** How each not-yet-linked company's entrepreneur answers a link request: mostly yes soon, some by hand, a few no. */
function entrepreneurFor(index: number): EntrepreneurBehaviour {
  if (index % 7 === 5) return { decision: 'refuse', afterMs: 5_000 };
  if (index % 4 === 3) return { decision: 'manual', afterMs: 0 };
  return { decision: 'accept', afterMs: 5_000 };
}

export function populateBillit(state: BillitSimState, world: DemoWorld): BillitPopulation {
  const population: BillitPopulation = { companyOf: new Map(), orderOf: new Map(), codaOf: new Map(), pending: [] };
  for (const dossier of world.dossiers) {
    const h = dossier.header;
    if (h.billit === 'absent') {
      // Not in Billit, but the KBO register (company search) knows every Belgian company.
      addKboEntry(state, { enterpriseNumber: h.enterpriseNumber!, name: h.name, address: simAddress(h.address) });
      continue;
    }
    const since = `${Number(world.asOf.slice(0, 4)) - 2}-01-0${(h.index % 9) + 1}`;
    const company = addCompany(state, {
      name: h.name,
      enterpriseNumber: h.enterpriseNumber!,
      email: h.billitEmail!,
      phone: h.phone,
      language: billitLanguage(h.language),
      address: simAddress(h.address),
      iban: h.bankIban,
      bic: h.bankBic,
      linkedToOffice: h.billit === 'linked' || h.billit === 'login-pending',
      loginActivated: h.billit !== 'login-pending',
      entrepreneur: entrepreneurFor(h.index),
      created: at(since),
    });
    population.companyOf.set(h.index, company.partyId);
    if (dossier.hasDocuments) addDocuments(state, dossier, company.partyId, population);
  }
  population.pending.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return population;
}

function addDocuments(state: BillitSimState, dossier: DemoDossier, companyId: number, population: BillitPopulation): void {
  const linked = dossier.billit === 'linked';
  const invoices = dossier.invoices();
  // Parties: those Billit already had, and every counterparty of an invoice (Billit creates those itself).
  const partyOf = new Map<number, number>();
  const used = new Set(invoices.map((i) => i.relationSystemNumber));
  for (const r of [...dossier.customers(), ...dossier.suppliers()]) {
    if (!r.inBillit && !used.has(r.systemNumber)) continue;
    const party = addParty(state, companyId, {
      partyType: r.kind === 'customer' ? 'Customer' : 'Supplier',
      name: r.name,
      nr: String(r.number),
      ...(r.vatNumber ? { vatNumber: r.vatNumber } : {}),
      ...(r.email ? { email: r.email } : {}),
      phone: r.phone,
      language: billitLanguage(r.language),
      address: simAddress(r.address),
      ...(r.iban ? { iban: r.iban, ...(r.bic ? { bic: r.bic } : {}) } : {}),
      created: at(dossier.world.asOf.slice(0, 4) + '-01-01', 8),
    });
    partyOf.set(r.systemNumber, party.partyId);
  }

  for (const invoice of invoices) {
    const issued = at(invoice.issueDate);
    const modified = invoice.paidOn ? at(invoice.paidOn, 15) : issued;
    const order = addOrder(state, companyId, {
      direction: invoice.direction === 'sales' ? 'Income' : 'Cost',
      orderType: invoice.type === 'credit-note' ? 'CreditNote' : 'Invoice',
      orderNumber: invoice.number,
      orderDate: issued,
      expiryDate: at(invoice.dueDate),
      counterPartyId: partyOf.get(invoice.relationSystemNumber)!,
      lines: dossier.lines(invoice).map((l) => ({
        description: l.description,
        quantity: l.quantity100 / 100,
        unitPriceExcl: l.unitPriceCents / 100,
        vatPercentage: l.vatPercent,
      })),
      totals: { excl: invoice.totalExclCents / 100, vat: invoice.totalVatCents / 100, incl: invoice.totalInclCents / 100 },
      ...(invoice.structuredReference ? { paymentReference: formatStructuredCommunication(invoice.structuredReference) } : {}),
      paid: invoice.paidOn !== null,
      ...(invoice.paidOn ? { paidDate: at(invoice.paidOn, 15) } : {}),
      created: issued,
      lastModified: modified,
    });
    attachLazyOrderFiles(state, order.orderId, {
      ubl: { fileName: ublFileName(invoice), bytes: () => renderUbl(dossier, invoice) },
      pdf: { fileName: pdfFileName(invoice), bytes: () => renderPdf(dossier, invoice) },
    });
    population.orderOf.set(invoice.key, order.orderId);
    if (invoice.exported) {
      exportOrder(state, order.orderId);
      order.lastModified = modified;
    } else if (linked) population.pending.push({ kind: 'order', id: order.orderId, date: invoice.issueDate });
  }

  for (const statement of dossier.statements()) {
    const coda = addLazyCodaFile(state, companyId, {
      fileName: codaFileName(dossier, statement),
      bytes: () => renderCoda(dossier, statement),
      iban: dossier.header.bankIban,
      statementDate: at(statement.date),
      export: statement.exported,
    });
    population.codaOf.set(statement.key, coda.id);
    if (!statement.exported && linked) population.pending.push({ kind: 'coda', id: coda.id, date: statement.date });
  }
}

/**
 * The demo entrepreneurs export what they had not yet (oldest first, up to `limit`): the documents land in
 * the office's accountant feeds. Returns how many were exported.
 */
export function exportPending(state: BillitSimState, population: BillitPopulation, limit = Infinity): number {
  let n = 0;
  while (n < limit && population.pending.length > 0) {
    const next = population.pending.shift()!;
    if (next.kind === 'order') exportOrder(state, next.id);
    else exportCodaFile(state, next.id);
    n++;
  }
  return n;
}
