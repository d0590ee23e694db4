/**
 * The bytes of the demo world's documents, rendered on demand from their headers (nothing is cached, and
 * the same header always gives the same bytes):
 * - an invoice or credit note as Peppol BIS Billing 3.0 UBL (`writeUbl`) with its PDF embedded;
 * - its PDF on its own (Billit's OrderPDF);
 * - a bank statement as a CODA 2.6 file (`writeCoda`, windows-1252).
 */
import { encodeWindows1252, writeCoda, type CodaMovement, type CodaStatement } from '../../../shared/coda';
import { formatEnterpriseNumber, formatIban, formatStructuredCommunication } from '../../../shared/belgian';
import { fromMinorUnits } from '../../../shared/ubl/decimal';
import type { UblDocument, UblLine, UblParty } from '../../../shared/ubl/model';
import { writeUbl } from '../../../shared/ubl/writer';
import { renderInvoicePdf } from './pdf';
import {
  addDays,
  vatGroups,
  type DemoCompany,
  type DemoDossier,
  type DemoInvoice,
  type DemoLine,
  type DemoRelation,
  type DemoStatement,
  type DemoVatGroup,
} from './world';

type Lang = 'nl' | 'fr' | 'en';

const words = {
  nl: {
    invoice: 'Factuur', creditNote: 'Creditnota', date: 'Datum', due: 'Vervaldatum', description: 'Omschrijving', quantity: 'Aantal',
    price: 'Eenheidsprijs', vat: 'Btw', amount: 'Bedrag', to: 'Aan', excl: 'Totaal excl. btw', payable: 'Te betalen',
    comm: 'Gestructureerde mededeling', ref: 'Vermeld bij betaling', ent: 'Ondernemingsnummer', account: 'Zichtrekening',
    pay: (iban: string) => `Te betalen op rekening ${iban}`,
  },
  fr: {
    invoice: 'Facture', creditNote: 'Note de crédit', date: 'Date', due: 'Échéance', description: 'Description', quantity: 'Qté',
    price: 'Prix unitaire', vat: 'TVA', amount: 'Montant', to: 'À', excl: 'Total HTVA', payable: 'À payer',
    comm: 'Communication structurée', ref: 'Référence de paiement', ent: "Numéro d'entreprise", account: 'Compte à vue',
    pay: (iban: string) => `À payer sur le compte ${iban}`,
  },
  en: {
    invoice: 'Invoice', creditNote: 'Credit note', date: 'Date', due: 'Due date', description: 'Description', quantity: 'Qty',
    price: 'Unit price', vat: 'VAT', amount: 'Amount', to: 'To', excl: 'Total excl. VAT', payable: 'Amount due',
    comm: 'Structured communication', ref: 'Payment reference', ent: 'Enterprise number', account: 'Current account',
    pay: (iban: string) => `Payable to account ${iban}`,
  },
} as const;

/** "1.234,56 €" (nl, fr) or "€1,234.56" (en), from cents; plain spaces only (PDF WinAnsi). */
function money(cents: number, lang: Lang): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const int = String(Math.floor(abs / 100));
  const dec = String(abs % 100).padStart(2, '0');
  const group = lang === 'en' ? ',' : '.';
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const text = lang === 'en' ? `€${grouped}.${dec}` : `${grouped},${dec} €`;
  return neg ? `-${text}` : text;
}

function quantity(q100: number): string {
  return q100 % 100 === 0 ? String(q100 / 100) : (q100 / 100).toFixed(q100 % 10 === 0 ? 1 : 2);
}

function belgianDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** Seller and buyer of an invoice: the dossier and the relation, by direction. */
export function invoiceParties(dossier: DemoDossier, invoice: DemoInvoice): { seller: DemoCompany & { bankIban: string; bankBic: string }; buyer: DemoCompany } {
  const relation = dossier.relation(invoice.relationSystemNumber);
  if (!relation) throw new Error(`Invoice ${invoice.key} names no relation`);
  const own = { ...dossier.header, email: dossier.header.billitEmail ?? dossier.header.email };
  return invoice.direction === 'sales' ? { seller: own, buyer: relation } : { seller: relation, buyer: own };
}

export function invoiceFileStem(invoice: DemoInvoice): string {
  return `${invoice.type === 'credit-note' ? 'CN' : 'INV'}_${invoice.number.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** What both renderings of an invoice start from; worked out once when the UBL embeds the PDF. */
interface InvoiceFacts {
  seller: ReturnType<typeof invoiceParties>['seller'];
  buyer: DemoCompany;
  relation: DemoRelation;
  /** Regenerated from the seed on every call of `dossier.lines`: not cheap, so not twice. */
  lines: DemoLine[];
  groups: DemoVatGroup[];
}

function invoiceFacts(dossier: DemoDossier, invoice: DemoInvoice): InvoiceFacts {
  const { seller, buyer } = invoiceParties(dossier, invoice);
  const lines = dossier.lines(invoice);
  return { seller, buyer, relation: dossier.relation(invoice.relationSystemNumber)!, lines, groups: vatGroups(lines) };
}

export function renderPdf(dossier: DemoDossier, invoice: DemoInvoice): Uint8Array {
  return pdfOf(invoice, invoiceFacts(dossier, invoice));
}

function pdfOf(invoice: DemoInvoice, { seller, buyer, lines, groups }: InvoiceFacts): Uint8Array {
  const lang: Lang = seller.language;
  const w = words[lang];
  const addr = (c: DemoCompany) => [
    `${c.address.street} ${c.address.number}${c.address.box ? ` ${c.language === 'fr' ? 'bte' : 'bus'} ${c.address.box}` : ''}`,
    `${c.address.zip} ${c.address.city}`,
    ...(c.vatNumber ? [`${w.vat}: BE ${formatEnterpriseNumber(c.enterpriseNumber!)}`] : []),
  ];
  return renderInvoicePdf({
    title: invoice.type === 'credit-note' ? w.creditNote : w.invoice,
    number: invoice.number,
    issueDate: belgianDate(invoice.issueDate),
    dueDate: belgianDate(invoice.dueDate),
    seller: { name: seller.name, lines: [...addr(seller), ...(seller.email ? [seller.email] : []), seller.phone] },
    buyer: { name: buyer.name, lines: addr(buyer) },
    lines: lines.map((l) => ({
      description: l.description,
      quantity: quantity(l.quantity100),
      unitPrice: money(l.unitPriceCents, lang),
      vat: `${l.vatPercent}%`,
      amount: money(l.amountCents, lang),
    })),
    totals: [
      [w.excl, money(invoice.totalExclCents, lang)],
      ...groups.map((g): [string, string] => [`${w.vat} ${g.vatPercent}%`, money(g.vatCents, lang)]),
      [w.payable, money(invoice.totalInclCents, lang)],
    ],
    footer: [
      w.pay(`${formatIban(seller.bankIban)} (BIC ${seller.bankBic})`),
      invoice.structuredReference ? `${w.comm}: ${formatStructuredCommunication(invoice.structuredReference)}` : `${w.ref}: ${invoice.number}`,
      `${seller.name} - ${w.ent} ${formatEnterpriseNumber(seller.enterpriseNumber!)}`,
    ],
    labels: { date: w.date, due: w.due, description: w.description, quantity: w.quantity, price: w.price, vat: w.vat, amount: w.amount, to: w.to },
  });
}

function ublParty(c: DemoCompany): UblParty {
  return {
    name: c.name,
    registrationName: c.name,
    ...(c.vatNumber ? { vatNumber: c.vatNumber } : {}),
    ...(c.enterpriseNumber
      ? {
          enterpriseNumber: c.enterpriseNumber,
          legalId: { id: c.enterpriseNumber, scheme: '0208' },
          endpoint: { id: c.enterpriseNumber, scheme: '0208' },
        }
      : {}),
    identifiers: [],
    address: {
      street: `${c.address.street} ${c.address.number}${c.address.box ? ` bus ${c.address.box}` : ''}`,
      city: c.address.city,
      postalCode: c.address.zip,
      country: c.address.country,
    },
    contact: {
      name: `${c.contact.first} ${c.contact.last}`,
      ...(c.email ? { email: c.email } : {}),
      phone: c.phone,
    },
  };
}

function ublOf(invoice: DemoInvoice, { seller, buyer, relation, lines, groups }: InvoiceFacts, pdf: Uint8Array): UblDocument {
  const d = (cents: number) => fromMinorUnits(cents, 2);
  const ublLines: UblLine[] = lines.map((l, i) => ({
    id: String(i + 1),
    quantity: fromMinorUnits(l.quantity100, 2),
    unitCode: /uren|heures/i.test(l.description) ? 'HUR' : 'C62',
    lineExtensionAmount: d(l.amountCents),
    name: l.description,
    price: d(l.unitPriceCents),
    vatCategory: 'S',
    vatRate: String(l.vatPercent),
    allowanceCharges: [],
  }));
  const stem = invoiceFileStem(invoice);
  const credit = invoice.type === 'credit-note';
  return {
    kind: credit ? 'credit-note' : 'invoice',
    customizationId: '',
    number: invoice.number,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    typeCode: credit ? '381' : '380',
    notes: [],
    currency: 'EUR',
    buyerReference: invoice.direction === 'sales' ? `K${String(relation.number).padStart(4, '0')}` : `L${String(relation.number).padStart(4, '0')}`,
    seller: ublParty(seller),
    buyer: ublParty(buyer),
    references: { invoices: [] },
    attachments: [{ id: stem, description: credit ? 'Credit note' : 'Invoice', filename: `${stem}.pdf`, mimeType: 'application/pdf', content: pdf }],
    paymentMeans: [
      {
        code: '30',
        paymentId: invoice.structuredReference ? formatStructuredCommunication(invoice.structuredReference) : invoice.number,
        account: seller.bankIban,
        accountName: seller.name,
        bic: seller.bankBic,
      },
    ],
    paymentTerms: `${words[seller.language].due}: ${belgianDate(invoice.dueDate)}`,
    allowanceCharges: [],
    vatBreakdown: groups.map((g) => ({ category: 'S', rate: String(g.vatPercent), taxableAmount: d(g.taxableCents), taxAmount: d(g.vatCents) })),
    totals: {
      lineExtension: d(invoice.totalExclCents),
      taxExclusive: d(invoice.totalExclCents),
      taxInclusive: d(invoice.totalInclCents),
      payable: d(invoice.totalInclCents),
      vatTotal: d(invoice.totalVatCents),
    },
    lines: ublLines,
  };
}

/** UTF-8 bytes of the UBL file (PDF embedded). */
export function renderUbl(dossier: DemoDossier, invoice: DemoInvoice): Uint8Array {
  const facts = invoiceFacts(dossier, invoice);
  return utf8.encode(writeUbl(ublOf(invoice, facts, pdfOf(invoice, facts))));
}

const utf8 = new TextEncoder();

export function ublFileName(invoice: DemoInvoice): string {
  return `${invoiceFileStem(invoice)}.xml`;
}

export function pdfFileName(invoice: DemoInvoice): string {
  return `${invoiceFileStem(invoice)}.pdf`;
}

/** The statement as the CODA model (one account, one day). */
export function codaStatement(dossier: DemoDossier, statement: DemoStatement): CodaStatement {
  const h = dossier.header;
  const previous = statement.seq > 0 ? dossier.statements()[statement.seq - 1]!.date : addDays(statement.date, -1);
  const paper = String(statement.sequenceNumber % 1000).padStart(3, '0');
  const movements: CodaMovement[] = statement.movements.map((m, i) => ({
    sequence: i + 1,
    detail: 0,
    bankReference: m.bankReference,
    amount: m.amountCents * 10,
    valueDate: m.valueDate,
    transactionCode: { type: String(m.transaction.type), family: m.transaction.family, transaction: m.transaction.code, category: m.transaction.category },
    communication:
      'structured' in m.communication
        ? { structured: true, type: '101', text: m.communication.structured, reference: m.communication.structured, referenceValid: true }
        : { structured: false, text: m.communication.free },
    entryDate: m.entryDate,
    paperSequence: paper,
    globalisation: 0,
    customerReference: m.invoiceKey ? `E2E${m.bankReference.slice(0, 20)}` : '',
    counterparty: m.counterparty
      ? { account: m.counterparty.iban, currency: 'EUR', name: m.counterparty.name, bic: m.counterparty.bic }
      : { account: '', name: '', bic: '' },
    rTransactionType: '',
    reasonCode: '',
    categoryPurpose: '',
    purpose: '',
    information: [],
  }));
  return {
    header: {
      creationDate: statement.date,
      bankId: '000',
      applicationCode: '05',
      duplicate: false,
      fileReference: `${statement.date.replace(/-/g, '').slice(2)}${String(statement.sequenceNumber).padStart(4, '0')}`,
      addressee: h.name,
      bic: h.bankBic,
      enterpriseNumber: h.enterpriseNumber,
      separateApplication: '00000',
      transactionReference: '',
      relatedReference: '',
      version: 2,
    },
    account: {
      structure: 2,
      number: h.bankIban,
      iban: h.bankIban,
      currency: 'EUR',
      holderName: h.name,
      description: words[h.language].account,
    },
    paperSequence: paper,
    codaSequence: paper,
    oldBalance: statement.oldBalanceCents * 10,
    oldBalanceDate: previous,
    newBalance: statement.newBalanceCents * 10,
    newBalanceDate: statement.date,
    movements,
    freeCommunications: [],
    trailer: null,
  };
}

/** windows-1252 bytes of the CODA file (CRLF records). */
export function renderCoda(dossier: DemoDossier, statement: DemoStatement): Uint8Array {
  return encodeWindows1252(writeCoda([codaStatement(dossier, statement)]));
}

export function codaFileName(dossier: DemoDossier, statement: DemoStatement): string {
  return `${dossier.header.bankIban}_${statement.date}_${String(statement.sequenceNumber).padStart(3, '0')}.cod`;
}
