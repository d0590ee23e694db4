/**
 * From the bytes Billit gives to the records the cache keeps: a UBL invoice or credit note becomes one
 * document, a CODA file one statement per account and day. Parsing happens once per file here; findings
 * travel with the record so the accountant sees what Venice would reject before it does.
 */
import { parseUbl, validateUbl } from '../../../shared/ubl';
import { toMinorUnits } from '../../../shared/ubl/decimal';
import { parseCoda, validateCoda, type CodaStatement } from '../../../shared/coda';
import type { Finding as FormatFinding } from '../../../shared/findings';
import type { DocumentInput, Finding, MovementInput, Validation } from '../cache/types';
import type { ConvertedCoda, OrderDetail } from './ports';

export const ORDER_SOURCE = 'billit-order';
export const CODA_SOURCE = 'billit-coda';

function cents(value: string | undefined): number {
  if (!value) return 0;
  try {
    return Number(toMinorUnits(value, 2));
  } catch {
    return 0;
  }
}

function toFindings(findings: readonly FormatFinding[]): Finding[] {
  return findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, ...(f.line ? { path: `line ${f.line}` } : {}) }));
}

function levelOf(findings: readonly Finding[]): Validation {
  if (findings.some((f) => f.severity === 'error')) return 'errors';
  if (findings.some((f) => f.severity === 'warning')) return 'warnings';
  return 'ok';
}

function isoDay(stamp: string | null | undefined): string {
  return stamp && /^\d{4}-\d{2}-\d{2}/.test(stamp) ? stamp.slice(0, 10) : '1970-01-01';
}

export interface ConvertedDocument {
  input: DocumentInput;
  /** The PDF embedded in the UBL, when there is one (then no separate download is needed). */
  embeddedPdf: Uint8Array | null;
}

/**
 * One order with its UBL. A UBL that does not parse is still kept (bytes and the order's own data) with an
 * error finding: the cursor moves on, and the accountant sees the problem instead of a silent gap.
 */
export function documentFromOrder(
  dossier: { id: number; enterpriseNumber: string | null },
  order: OrderDetail,
  ubl: Uint8Array | null,
  feedItemId?: number,
): ConvertedDocument {
  const direction = order.direction === 'Income' ? 'sales' : 'purchase';
  const sourceIds: Record<string, string> = { companyId: String(order.companyId) };
  if (feedItemId !== undefined) sourceIds.feedItem = String(feedItemId);
  const base: DocumentInput = {
    dossierId: dossier.id,
    source: ORDER_SOURCE,
    sourceId: String(order.orderId),
    sourceIds,
    kind: /credit/i.test(order.orderType) ? 'credit-note' : 'invoice',
    direction,
    number: order.orderNumber,
    issueDate: isoDay(order.orderDate),
    dueDate: order.expiryDate ? isoDay(order.expiryDate) : null,
    seller: { name: '' },
    buyer: { name: '' },
    currency: order.currency ?? 'EUR',
    totalExclCents: Math.round((order.totalExcl ?? 0) * 100),
    totalVatCents: Math.round((order.totalVat ?? 0) * 100),
    totalInclCents: Math.round((order.totalIncl ?? 0) * 100),
    paymentReference: order.paymentReference ?? null,
    remoteModifiedAt: order.lastModified,
  };
  if (!ubl) {
    const findings: Finding[] = [{ code: 'no-ubl', severity: 'error', message: 'Billit has no UBL file for this document.' }];
    return { input: { ...base, findings, validation: 'errors' }, embeddedPdf: null };
  }
  const parsed = parseUbl(ubl);
  if (!parsed.ok) {
    const findings: Finding[] = [{ code: parsed.error.code, severity: 'error', message: parsed.error.message }];
    return { input: { ...base, ubl, findings, validation: 'errors' }, embeddedPdf: null };
  }
  const doc = parsed.value;
  const findings = toFindings(validateUbl(doc, dossier.enterpriseNumber ? { dossierEnterpriseNumber: dossier.enterpriseNumber } : {}));
  const pdf = doc.attachments.find((a) => a.content && (a.mimeType === 'application/pdf' || /\.pdf$/i.test(a.filename ?? '')));
  const structured = doc.paymentMeans.find((p) => p.structuredCommunication)?.structuredCommunication;
  const party = (p: typeof doc.seller) => ({ name: p.name, enterpriseNumber: p.enterpriseNumber ?? null, vatNumber: p.vatNumber ?? null });
  return {
    input: {
      ...base,
      kind: doc.kind,
      number: doc.number || base.number,
      issueDate: doc.issueDate || base.issueDate,
      dueDate: doc.dueDate ?? base.dueDate ?? null,
      seller: party(doc.seller),
      buyer: party(doc.buyer),
      currency: doc.currency || base.currency,
      totalExclCents: cents(doc.totals.taxExclusive),
      totalVatCents: cents(doc.totals.vatTotal),
      totalInclCents: cents(doc.totals.taxInclusive),
      payableCents: cents(doc.totals.payable),
      paymentReference: structured ?? doc.paymentMeans.find((p) => p.paymentId)?.paymentId ?? base.paymentReference ?? null,
      ubl,
      findings,
      validation: levelOf(findings),
    },
    embeddedPdf: pdf?.content ?? null,
  };
}

function movementsOf(statement: CodaStatement): MovementInput[] {
  return statement.movements
    .filter((m) => m.detail === 0)
    .map((m) => ({
      seq: m.sequence,
      entryDate: m.entryDate,
      valueDate: m.valueDate,
      // CODA counts thousandths; the cache keeps cents (CODA amounts of a Belgian account are whole cents).
      amountCents: Math.round(m.amount / 10),
      counterpartyName: m.counterparty?.name || null,
      counterpartyIban: m.counterparty?.account || null,
      counterpartyBic: m.counterparty?.bic || null,
      communication: m.communication.structured ? null : m.communication.text || null,
      structuredReference: m.communication.structured ? (m.communication.reference ?? null) : null,
      transactionCode: `${m.transactionCode.type}${m.transactionCode.family}${m.transactionCode.transaction}${m.transactionCode.category}`,
      bankReference: m.bankReference || null,
    }));
}

/** A CODA file, parsed once: its statements, each with the findings of its file. */
export function statementsFromCoda(bytes: Uint8Array, source: { sourceId: string; sourceIds?: Record<string, string> }): ConvertedCoda {
  const parsed = parseCoda(bytes);
  if (!parsed.ok) return { statements: [], failure: parsed.error };
  const file = parsed.value;
  const findings = toFindings(validateCoda(file));
  const validation = levelOf(findings);
  return {
    failure: null,
    statements: file.statements.map((s, index) => ({
      enterpriseNumber: s.header.enterpriseNumber,
      input: {
        accountIban: s.account.iban ?? s.account.number,
        currency: s.account.currency || 'EUR',
        statementNumber: s.codaSequence || s.paperSequence,
        openingDate: s.oldBalanceDate,
        closingDate: s.newBalanceDate ?? s.oldBalanceDate ?? '1970-01-01',
        openingCents: Math.round(s.oldBalance / 10),
        closingCents: Math.round(s.newBalance / 10),
        coda: bytes,
        source: CODA_SOURCE,
        sourceId: file.statements.length > 1 ? `${source.sourceId}#${index}` : source.sourceId,
        sourceIds: source.sourceIds ?? {},
        findings,
        validation,
        movements: movementsOf(s),
      },
    })),
  };
}
