/**
 * `npm run inspect -- <file…> [--json] [--dossier <enterprise number>] [--direction sales|purchase] [--no-rules]`
 *
 * Reads CODA or UBL files, tells which they are, prints the parsed model and the findings: for UBL, the fast
 * pre-check's and the official checks' (UBL 2.1 schema, EN 16931 and Peppol BIS 3.0 rules of the app's rules
 * release, on a worker thread; `--no-rules` skips them), each with its rule id, source and where.
 * Exit code: 0 every file is valid (warnings allowed), 1 some file has findings of severity error,
 * 2 some file could not be read or is neither CODA nor UBL (or is refused: CODA 1, DTD in XML…).
 */
import fs from 'node:fs';
import { formatEnterpriseNumber, formatIban, formatStructuredCommunication } from '../shared/belgian';
import { formatThousandths, looksLikeCoda, parseCoda, validateCoda, type CodaFile } from '../shared/coda';
import { hasErrors, type Finding } from '../shared/findings';
import { looksLikeXml, parseUbl, validateUbl, type UblDocument } from '../shared/ubl';
import type { RuleFinding } from '../electron/core/checks/engine';
import { createCheckPool } from '../electron/core/checks/pool';
import { defaultRulesDir, findRules } from '../electron/core/checks/rules';

/** A finding with who found it: the pre-check, or one of the official checks (with the rule's XPath). */
type ReportFinding = Finding & { source: 'precheck' | RuleFinding['source']; location?: string };

interface Report {
  file: string;
  format: 'coda' | 'ubl' | null;
  /** false when unreadable / refused. */
  readable: boolean;
  error?: { code: string; message: string };
  model?: CodaFile | UblDocument;
  findings: ReportFinding[];
  /** UBL: the rules release the official findings are from (null: not run). */
  rulesRelease?: string | null;
}

const USAGE = 'Usage: npm run inspect -- <file…> [--json] [--dossier <enterprise number>] [--direction sales|purchase] [--no-rules]';

async function main(argv: string[]): Promise<number> {
  const files: string[] = [];
  let json = false;
  let rules = true;
  let dossier: string | undefined;
  let direction: 'sales' | 'purchase' | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--no-rules') rules = false;
    else if (a === '--dossier') dossier = argv[++i];
    else if (a === '--direction') {
      const d = argv[++i];
      if (d !== 'sales' && d !== 'purchase') {
        console.error(USAGE);
        return 2;
      }
      direction = d;
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else files.push(a);
  }
  if (files.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const reports = files.map((f) => inspect(f, dossier, direction));
  if (rules) await officialChecks(reports);
  if (json) process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports, jsonReplacer, 2) + '\n');
  else for (const r of reports) process.stdout.write(human(r) + '\n');
  if (reports.some((r) => !r.readable)) return 2;
  if (reports.some((r) => hasErrors(r.findings))) return 1;
  return 0;
}

/** The official checks of every readable UBL file, on one worker thread, their findings after the pre-check's. */
async function officialChecks(reports: Report[]): Promise<void> {
  const ubl = reports.filter((r) => r.format === 'ubl' && r.readable);
  if (!ubl.length) return;
  const location = findRules(defaultRulesDir());
  if (!location) {
    for (const r of ubl) r.rulesRelease = null;
    console.error(`No rules release found in ${defaultRulesDir()}: official checks skipped.`);
    return;
  }
  const pool = createCheckPool({ rules: location, size: 1 });
  try {
    const results = await pool.check(ubl.map((r, i) => ({ key: String(i), bytes: new Uint8Array(fs.readFileSync(r.file)) })));
    for (const result of results) {
      const r = ubl[Number(result.key)]!;
      r.rulesRelease = location.release.name;
      r.findings.push(...result.findings);
    }
  } finally {
    await pool.close();
  }
}

export function inspect(file: string, dossier?: string, direction?: 'sales' | 'purchase'): Report {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    return { file, format: null, readable: false, error: { code: 'unreadable', message: (e as Error).message }, findings: [] };
  }
  if (looksLikeCoda(bytes)) {
    const r = parseCoda(bytes);
    if (!r.ok) return { file, format: 'coda', readable: false, error: r.error, findings: [] };
    const findings = validateCoda(r.value, dossier ? { dossierEnterpriseNumber: dossier } : {}).map((f) => ({ ...f, source: 'precheck' as const }));
    return { file, format: 'coda', readable: true, model: r.value, findings };
  }
  if (looksLikeXml(bytes)) {
    const r = parseUbl(bytes);
    if (!r.ok) return { file, format: 'ubl', readable: false, error: r.error, findings: [] };
    const findings = validateUbl(r.value, { ...(dossier ? { dossierEnterpriseNumber: dossier } : {}), ...(direction ? { direction } : {}) }).map((f) => ({
      ...f,
      source: 'precheck' as const,
    }));
    return { file, format: 'ubl', readable: true, model: r.value, findings };
  }
  return {
    file,
    format: null,
    readable: false,
    error: { code: 'unknown-format', message: 'Neither CODA (no header record 0…05 on the first line) nor XML.' },
    findings: [],
  };
}

/** Attachments are shown by size, not dumped. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: value.length };
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Human-readable output

function human(r: Report): string {
  const out: string[] = [];
  out.push(`${r.file}: ${r.format ? r.format.toUpperCase() : 'unknown format'}`);
  if (!r.readable) {
    out.push(`  UNREADABLE (${r.error?.code}): ${r.error?.message}`);
    return out.join('\n');
  }
  if (r.format === 'coda') out.push(...codaLines(r.model as CodaFile));
  else out.push(...ublLines(r.model as UblDocument));
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.length - errors;
  out.push(`  Findings: ${errors} error(s), ${warnings} warning(s)${r.findings.length === 0 ? ' — valid' : ''}`);
  if (r.rulesRelease) out.push(`  Official checks: UBL 2.1 schema and ${r.rulesRelease}`);
  for (const f of r.findings) {
    const where = [f.line ? `line ${f.line}` : '', f.location ?? ''].filter(Boolean).join(', ');
    out.push(`    ${f.severity.toUpperCase().padEnd(7)} ${f.code}${where ? ` (${where})` : ''}${f.source !== 'precheck' ? ` [${f.source}]` : ''}: ${f.message}`);
  }
  return out.join('\n');
}

function codaLines(file: CodaFile): string[] {
  const out: string[] = [];
  file.statements.forEach((st, i) => {
    const h = st.header;
    const a = st.account;
    out.push(`  Statement ${i + 1}/${file.statements.length}: created ${h.creationDate ?? '?'}${h.duplicate ? ' (DUPLICATE)' : ''}, bank ${h.bic || '?'}, CODA sequence ${st.codaSequence.trim() || '-'}`);
    out.push(`    Holder: ${a.holderName || h.addressee}  enterprise number ${h.enterpriseNumber ? formatEnterpriseNumber(h.enterpriseNumber) : '-'}`);
    out.push(`    Account: ${a.iban ? formatIban(a.iban) : a.number} ${a.currency} (structure ${a.structure})${a.description ? ` — ${a.description}` : ''}`);
    out.push(`    Old balance ${formatThousandths(st.oldBalance)} on ${st.oldBalanceDate ?? '?'} → new balance ${formatThousandths(st.newBalance)} on ${st.newBalanceDate ?? '?'}`);
    const details = st.movements.filter((m) => m.detail !== 0).length;
    out.push(`    Movements: ${st.movements.length - details}${details ? ` (+ ${details} globalisation details)` : ''}`);
    for (const m of st.movements) {
      const c = m.communication;
      const comm = c.structured
        ? c.reference
          ? `${formatStructuredCommunication(c.reference)}${c.referenceValid ? '' : ' (bad check digits)'}`
          : `[${c.type}] ${c.text}`
        : c.text;
      const who = [m.counterparty.name, m.counterparty.account].filter(Boolean).join(' ');
      out.push(
        `      ${String(m.sequence).padStart(4, '0')}/${String(m.detail).padStart(4, '0')} ${m.entryDate ?? '          '} ${formatThousandths(m.amount).padStart(15)}  ` +
          `${m.transactionCode.type}-${m.transactionCode.family}-${m.transactionCode.transaction}-${m.transactionCode.category}  ${who ? who + ' — ' : ''}${oneLine(comm)}`,
      );
    }
    for (const f of st.freeCommunications) out.push(`    Free communication: ${f.text}`);
    if (st.trailer) {
      out.push(`    Trailer: ${st.trailer.recordCount} records, debit ${formatThousandths(st.trailer.debitTotal)}, credit ${formatThousandths(st.trailer.creditTotal)}`);
    }
  });
  return out;
}

function ublLines(d: UblDocument): string[] {
  const out: string[] = [];
  out.push(`  ${d.kind === 'credit-note' ? 'Credit note' : 'Invoice'} ${d.number || '?'} (type ${d.typeCode || '?'}), issued ${d.issueDate || '?'}${d.dueDate ? `, due ${d.dueDate}` : ''}, ${d.currency || '?'}`);
  out.push(`    Customization: ${d.customizationId || '-'}${d.ublVersion ? ` (UBL ${d.ublVersion})` : ''}`);
  for (const [role, p] of [
    ['Seller', d.seller],
    ['Buyer', d.buyer],
  ] as const) {
    const ids = [
      p.vatNumber && `VAT ${p.vatNumber}`,
      p.enterpriseNumber && `enterprise ${formatEnterpriseNumber(p.enterpriseNumber)}`,
      p.enterpriseNumberInvalid && `INVALID enterprise/VAT ${p.enterpriseNumberInvalid}`,
      p.endpoint && `endpoint ${p.endpoint.scheme ?? '?'}:${p.endpoint.id}`,
    ].filter(Boolean);
    const addr = p.address ? [p.address.street, [p.address.postalCode, p.address.city].filter(Boolean).join(' '), p.address.country].filter(Boolean).join(', ') : '';
    out.push(`    ${role}: ${p.name || '?'}${ids.length ? ` (${ids.join(', ')})` : ''}${addr ? ` — ${addr}` : ''}`);
  }
  const refs = d.references;
  const refList = [
    refs.order && `order ${refs.order}`,
    refs.contract && `contract ${refs.contract}`,
    refs.project && `project ${refs.project}`,
    ...refs.invoices.map((i) => `credits invoice ${i.id}${i.issueDate ? ` of ${i.issueDate}` : ''}`),
  ].filter(Boolean);
  if (refList.length) out.push(`    References: ${refList.join(', ')}`);
  out.push(`    Lines: ${d.lines.length}`);
  for (const l of d.lines) {
    out.push(`      ${l.id.padEnd(4)} ${l.quantity.padStart(8)} ${(l.unitCode ?? '').padEnd(4)} × ${l.price.padStart(10)}  ${l.lineExtensionAmount.padStart(12)}  VAT ${l.vatCategory}${l.vatRate !== undefined ? ` ${l.vatRate}%` : ''}  ${oneLine(l.name)}`);
  }
  for (const ac of d.allowanceCharges) out.push(`    ${ac.isCharge ? 'Charge' : 'Allowance'} ${ac.amount} (VAT ${ac.vatCategory ?? '?'} ${ac.vatRate ?? ''}) ${ac.reason ?? ac.reasonCode ?? ''}`);
  for (const s of d.vatBreakdown) out.push(`    VAT ${s.category}${s.rate !== undefined ? ` ${s.rate}%` : ''}: taxable ${s.taxableAmount}, VAT ${s.taxAmount}`);
  const t = d.totals;
  out.push(
    `    Totals: lines ${t.lineExtension}, excl. VAT ${t.taxExclusive}, VAT ${t.vatTotal}, incl. VAT ${t.taxInclusive}` +
      `${t.prepaid ? `, prepaid ${t.prepaid}` : ''}${t.rounding ? `, rounding ${t.rounding}` : ''}, payable ${t.payable}`,
  );
  for (const pm of d.paymentMeans) {
    const ref = pm.structuredCommunication ? formatStructuredCommunication(pm.structuredCommunication) : pm.paymentId;
    out.push(`    Payment (means ${pm.code}): ${pm.account ? formatIban(pm.account) : '-'}${pm.bic ? ` ${pm.bic}` : ''}${ref ? `, reference ${ref}` : ''}`);
  }
  for (const a of d.attachments) {
    out.push(`    Attachment ${a.id}: ${a.filename ?? a.uri ?? '(no file)'}${a.mimeType ? ` ${a.mimeType}` : ''}${a.content ? `, ${a.content.length} bytes` : ''}${a.description ? ` — ${a.description}` : ''}`);
  }
  return out;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

process.exitCode = await main(process.argv.slice(2));
