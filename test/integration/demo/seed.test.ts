/**
 * The seeded demo world: deterministic from its seed, valid Belgian identifiers, a mix of Billit states, and
 * documents that the app's own parsers accept — UBL that validates, CODA whose balances, totals and structured
 * communications match the invoices being paid, PDFs a viewer opens.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isValidEnterpriseNumber,
  isValidIban,
  isValidStructuredCommunication,
  parseStructuredCommunication,
} from '../../../shared/belgian';
import { parseCoda, validateCoda } from '../../../shared/coda';
import { hasErrors } from '../../../shared/findings';
import { parseUbl, validateUbl } from '../../../shared/ubl';
import { renderCoda, renderPdf, renderUbl } from '../../../electron/demo/seed/documents';
import { billitStates, createWorld, type DemoWorld } from '../../../electron/demo/seed/world';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Everything a world is, as plain data, plus a hash of every document's bytes. */
function snapshot(world: DemoWorld) {
  return {
    office: world.office,
    dossiers: world.dossiers.map((d) => ({
      header: d.header,
      customers: d.customers(),
      suppliers: d.suppliers(),
      invoices: d.invoices().map((i) => ({ ...i, lines: d.lines(i), ubl: sha(renderUbl(d, i)), pdf: sha(renderPdf(d, i)) })),
      statements: d.statements().map((s) => ({ ...s, coda: sha(renderCoda(d, s)) })),
    })),
  };
}

// The default office (40 dossiers), with fewer invoices each so that checking every document stays quick.
const world = createWorld({ seed: 7, invoicesPerDossier: 12 });
const linked = world.dossiers.filter((d) => d.billit === 'linked');

describe('demo world — determinism', () => {
  it('gives the same world, byte for byte, for the same seed', () => {
    const a = snapshot(createWorld({ seed: 7, dossiers: 16 }));
    const b = snapshot(createWorld({ seed: 7, dossiers: 16 }));
    expect(b).toEqual(a);
    expect(a.dossiers.reduce((n, d) => n + d.invoices.length + d.statements.length, 0)).toBeGreaterThan(300);
  });

  it('gives another world for another seed', () => {
    const other = createWorld({ seed: 8 });
    expect(other.dossiers.map((d) => d.name)).not.toEqual(world.dossiers.map((d) => d.name));
    expect(other.office.venice.password).not.toBe(world.office.venice.password);
  });

  it('renders a document the same however often and in whatever order it is asked for', () => {
    const d = linked[0]!;
    const last = d.invoices().at(-1)!;
    const first = renderUbl(d, last);
    const fresh = createWorld({ seed: 7, invoicesPerDossier: 12 }).dossier(d.veniceId)!;
    // Ask a fresh world for the last invoice only: no earlier document is needed to render it.
    expect(sha(renderUbl(fresh, fresh.invoices().at(-1)!))).toBe(sha(first));
    expect(sha(renderUbl(d, last))).toBe(sha(first));
  });
});

describe('demo world — the office and its dossiers', () => {
  it('has 40 dossiers by default and up to 400 on request, with unique ids and enterprise numbers', () => {
    expect(world.dossiers).toHaveLength(40);
    const big = createWorld({ seed: 7, dossiers: 400 });
    expect(big.dossiers).toHaveLength(400);
    for (const w of [world, big]) {
      expect(new Set(w.dossiers.map((d) => d.veniceId.toLowerCase())).size).toBe(w.dossiers.length);
      expect(new Set(w.dossiers.map((d) => d.header.enterpriseNumber)).size).toBe(w.dossiers.length);
      expect(new Set(w.dossiers.filter((d) => d.header.billitEmail).map((d) => d.header.billitEmail)).size).toBe(
        w.dossiers.filter((d) => d.header.billitEmail).length,
      );
    }
  });

  it('mixes every Billit state, and some dossiers lack an e-mail', () => {
    for (const state of billitStates) expect(world.dossiers.some((d) => d.billit === state)).toBe(true);
    expect(world.dossiers.filter((d) => d.header.email === null).length).toBeGreaterThan(0);
    expect(world.dossiers.filter((d) => d.header.email !== null).length).toBeGreaterThan(20);
    expect(new Set(world.dossiers.map((d) => d.header.language))).toContain('fr');
    expect(new Set(world.dossiers.map((d) => d.header.language))).toContain('nl');
    expect(world.dossiers.some((d) => /\b(BV|SRL|NV|SA|VOF)$/.test(d.name))).toBe(true);
  });

  it('uses valid Belgian identifiers everywhere', () => {
    expect(isValidEnterpriseNumber(world.office.enterpriseNumber)).toBe(true);
    for (const d of world.dossiers) {
      expect(isValidEnterpriseNumber(d.header.enterpriseNumber!)).toBe(true);
      expect(d.header.vatNumber).toBe(`BE${d.header.enterpriseNumber}`);
      expect(isValidIban(d.header.bankIban)).toBe(true);
      expect(d.header.bankIban.startsWith('BE')).toBe(true);
      const customers = d.customers();
      const suppliers = d.suppliers();
      expect(customers.length).toBeGreaterThanOrEqual(5);
      expect(customers.length).toBeLessThanOrEqual(30);
      expect(suppliers.length).toBeGreaterThanOrEqual(5);
      expect(suppliers.length).toBeLessThanOrEqual(30);
      for (const r of [...customers, ...suppliers]) {
        if (r.enterpriseNumber) expect(isValidEnterpriseNumber(r.enterpriseNumber)).toBe(true);
        else expect(r.isPerson).toBe(true);
        if (r.iban) expect(isValidIban(r.iban)).toBe(true);
        expect(isValidIban(r.bankIban)).toBe(true);
      }
      for (const i of d.invoices()) if (i.structuredReference) expect(isValidStructuredCommunication(i.structuredReference)).toBe(true);
    }
  });
});

describe('demo world — documents', () => {
  it('writes every invoice as Peppol BIS 3.0 UBL that parses and validates, with its PDF embedded', () => {
    let n = 0;
    for (const d of world.dossiers) {
      for (const invoice of d.invoices()) {
        const parsed = parseUbl(renderUbl(d, invoice));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) continue;
        const doc = parsed.value;
        const findings = validateUbl(doc, { dossierEnterpriseNumber: d.header.enterpriseNumber!, direction: invoice.direction });
        expect(findings.filter((f) => f.severity === 'error'), `${invoice.key}`).toEqual([]);
        expect(doc.kind).toBe(invoice.type);
        expect(doc.number).toBe(invoice.number);
        expect(doc.totals.payable).toBe((invoice.totalInclCents / 100).toFixed(2));
        expect(doc.totals.vatTotal).toBe((invoice.totalVatCents / 100).toFixed(2));
        const own = invoice.direction === 'sales' ? doc.seller : doc.buyer;
        expect(own.enterpriseNumber).toBe(d.header.enterpriseNumber);
        expect(doc.paymentMeans[0]?.structuredCommunication ?? null).toBe(invoice.structuredReference);
        const pdf = doc.attachments.find((a) => a.mimeType === 'application/pdf');
        expect(pdf?.content && Buffer.from(pdf.content).equals(Buffer.from(renderPdf(d, invoice)))).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(150);
  });

  it('makes PDFs a viewer opens: a valid cross-reference table, the number, parties and total on the page', () => {
    for (const d of linked.slice(0, 3)) {
      for (const invoice of d.invoices().slice(0, 5)) {
        const bytes = Buffer.from(renderPdf(d, invoice));
        const text = bytes.toString('latin1');
        expect(text.startsWith('%PDF-1.4\n')).toBe(true);
        expect(text.endsWith('%%EOF\n')).toBe(true);
        const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
        expect(text.slice(startxref, startxref + 4)).toBe('xref');
        const table = /^xref\n0 (\d+)\n0000000000 65535 f \n((?:\d{10} 00000 n \n)+)trailer/.exec(text.slice(startxref))!;
        const offsets = table[2]!.trim().split('\n').map((l) => Number(l.slice(0, 10)));
        expect(offsets).toHaveLength(Number(table[1]) - 1);
        offsets.forEach((offset, i) => expect(text.slice(offset, offset + `${i + 1} 0 obj\n`.length)).toBe(`${i + 1} 0 obj\n`));
        const stream = /\/Length (\d+) >>\nstream\n/.exec(text)!;
        const streamStart = stream.index + stream[0].length;
        expect(text.slice(streamStart + Number(stream[1]), streamStart + Number(stream[1]) + 10)).toBe('\nendstream');
        const { seller, buyer } = invoice.direction === 'sales' ? { seller: d.name, buyer: d.relation(invoice.relationSystemNumber)!.name } : { seller: d.relation(invoice.relationSystemNumber)!.name, buyer: d.name };
        const shown = (s: string) => `(${Buffer.from(s.replace(/[\\()]/g, (c) => `\\${c}`), 'latin1').toString('latin1')})`;
        expect(text).toContain(shown(invoice.number));
        expect(text).toContain(shown(seller));
        expect(text).toContain(shown(buyer));
        // The total, as the seller's language writes it: "1.234,56 €" or "€1,234.56".
        const whole = String(Math.floor(invoice.totalInclCents / 100));
        const cents = String(invoice.totalInclCents % 100).padStart(2, '0');
        const group = (sep: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
        expect([`(${group('.')},${cents} \x80)`, `(\x80${group(',')}.${cents})`].some((t) => text.includes(t))).toBe(true);
      }
    }
  });

  it('writes bank statements as CODA that parses and validates, with balances chained day to day', () => {
    for (const d of linked) {
      let previous: number | null = null;
      for (const st of d.statements()) {
        const parsed = parseCoda(renderCoda(d, st));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) continue;
        const findings = validateCoda(parsed.value);
        expect(hasErrors(findings), JSON.stringify(findings)).toBe(false);
        const [statement] = parsed.value.statements;
        expect(statement!.account.iban).toBe(d.header.bankIban);
        expect(statement!.header.enterpriseNumber).toBe(d.header.enterpriseNumber);
        expect(statement!.newBalanceDate).toBe(st.date);
        if (previous !== null) expect(statement!.oldBalance).toBe(previous);
        previous = statement!.newBalance;
      }
    }
  });

  it('pays invoices in the statements: amount, direction and structured communication match', () => {
    for (const d of linked) {
      const movements = d.statements().flatMap((st) => {
        const parsed = parseCoda(renderCoda(d, st));
        return parsed.ok ? parsed.value.statements.flatMap((s) => s.movements) : [];
      });
      const byReference = new Map<string, (typeof movements)[number]>();
      for (const m of movements) if (m.communication.structured && m.communication.reference) byReference.set(m.communication.reference, m);
      for (const invoice of d.invoices()) {
        if (!invoice.paidOn || !invoice.structuredReference) continue;
        const m = byReference.get(invoice.structuredReference);
        expect(m, invoice.key).toBeDefined();
        expect(m!.communication).toMatchObject({ structured: true, type: '101', referenceValid: true });
        expect(parseStructuredCommunication(m!.communication.structured ? m!.communication.reference! : '').ok).toBe(true);
        const thousandths = invoice.totalInclCents * 10;
        expect(m!.amount).toBe(invoice.direction === 'sales' ? thousandths : -thousandths);
        expect(m!.entryDate).toBe(invoice.paidOn);
        const counterparty = d.relation(invoice.relationSystemNumber)!;
        expect(m!.counterparty.account).toBe(counterparty.bankIban);
      }
      // Paid invoices without a structured reference are paid with their number as free text.
      for (const invoice of d.invoices().filter((i) => i.paidOn && !i.structuredReference))
        expect(movements.some((m) => !m.communication.structured && m.communication.text === invoice.number)).toBe(true);
    }
  });
});
