/**
 * CODA validation: the parser's findings plus the checks Venice and the banks rely on —
 * trailer debit and credit totals (movements with detail number 0000 only: details of a globalisation are
 * already inside their total), old balance + credits − debits = new balance, structured-communication check
 * digits, globalisation levels that open and close, the header's enterprise number, and (given one) whether
 * the file belongs to the dossier, and a statement the file holds twice (same account and sequence number:
 * Venice would book its movements twice).
 */
import { parseEnterpriseNumber } from '../belgian';
import type { Finding } from '../findings';
import { formatThousandths, type CodaFile, type CodaStatement } from './model';

export interface ValidateCodaOptions {
  /** The dossier's enterprise number (any accepted spelling): a statement for another holder is an error. */
  dossierEnterpriseNumber?: string;
}

export function validateCoda(file: CodaFile, options: ValidateCodaOptions = {}): Finding[] {
  const findings: Finding[] = [...(file.parseFindings ?? [])];
  if (file.statements.length === 0) {
    findings.push({ severity: 'error', code: 'no-statement', message: 'The file holds no statement.' });
  }
  const dossier = options.dossierEnterpriseNumber ? parseEnterpriseNumber(options.dossierEnterpriseNumber) : null;
  file.statements.forEach((st, i) => validateStatement(st, i, file.statements.length, findings, dossier?.ok ? dossier.value : null));
  repeatedStatements(file, findings);
  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return findings;
}

function validateStatement(st: CodaStatement, index: number, count: number, out: Finding[], dossier: string | null) {
  const h = st.header;
  const label = count > 1 ? `Statement ${index + 1}: ` : '';
  if (h.enterpriseNumber !== null) {
    const e = parseEnterpriseNumber(h.enterpriseNumber);
    if (!e.ok) {
      out.push({ severity: 'warning', code: 'enterprise-number', message: `${label}The account holder's enterprise number ${h.enterpriseNumber} is not valid (${e.reason}).`, line: h.line });
    } else if (dossier && e.value !== dossier) {
      out.push({
        severity: 'error',
        code: 'not-addressed-to-dossier',
        message: `${label}The statement is for enterprise number ${e.value}, not this dossier's ${dossier}.`,
        line: h.line,
      });
    }
  } else if (dossier) {
    out.push({ severity: 'warning', code: 'no-enterprise-number', message: `${label}The header carries no enterprise number: the file cannot be matched to the dossier.`, line: h.line });
  }
  if (h.duplicate) out.push({ severity: 'warning', code: 'duplicate', message: `${label}The bank marked this file as a duplicate.`, line: h.line });

  let debit = 0;
  let credit = 0;
  let prevSeq = -1;
  st.movements.forEach((m, i) => {
    if (m.detail === 0) {
      if (m.amount < 0) debit -= m.amount;
      else credit += m.amount;
      if (prevSeq >= 0 && m.sequence !== (prevSeq + 1) % 10000) {
        out.push({ severity: 'warning', code: 'movement-sequence', message: `${label}Movement ${pad4(m.sequence)} follows ${pad4(prevSeq)}: sequence numbers are not continuous.`, line: m.line });
      }
      prevSeq = m.sequence;
    }
    const c = m.communication;
    if (c.structured && (c.type === '101' || c.type === '102') && c.referenceValid === false) {
      out.push({
        severity: 'warning',
        code: 'structured-communication',
        message: c.reference
          ? `${label}Structured communication ${c.reference} of movement ${ref(m)}: check digits are wrong.`
          : `${label}Structured communication of movement ${ref(m)} is not 12 digits: "${c.text.slice(0, 12)}".`,
        line: m.line,
      });
    }
    // A globalised total (level > 0) is followed by its details (same sequence, detail > 0). Without them it is
    // what pycoda calls a faulty globalisation: read as a plain movement, as pycoda does.
    if (m.detail === 0 && m.globalisation > 0) {
      const next = st.movements[i + 1];
      if (!next || next.sequence !== m.sequence || next.detail === 0) {
        out.push({
          severity: 'warning',
          code: 'globalisation',
          message: `${label}Movement ${pad4(m.sequence)} has globalisation level ${m.globalisation} but no details follow; it is read as a plain movement.`,
          line: m.line,
        });
      }
    }
  });
  if (!Number.isSafeInteger(debit) || !Number.isSafeInteger(credit)) {
    out.push({ severity: 'error', code: 'number', message: `${label}Movement totals exceed the exact integer range.`, line: st.line });
    return;
  }
  const t = st.trailer;
  if (t) {
    if (t.debitTotal !== debit) {
      out.push({
        severity: 'error',
        code: 'trailer-debit-total',
        message: `${label}Trailer debit total ${formatThousandths(t.debitTotal)} ≠ sum of debit movements ${formatThousandths(debit)}.`,
        line: t.line,
      });
    }
    if (t.creditTotal !== credit) {
      out.push({
        severity: 'error',
        code: 'trailer-credit-total',
        message: `${label}Trailer credit total ${formatThousandths(t.creditTotal)} ≠ sum of credit movements ${formatThousandths(credit)}.`,
        line: t.line,
      });
    }
    // Code 1 on the last statement is common in real files (each bank file is written as if more could follow).
    if (t.multipleFileCode === '2' && index < count - 1) {
      out.push({ severity: 'warning', code: 'multiple-file-code', message: `${label}The trailer says this is the last statement (code 2) but another follows.`, line: t.line });
    }
  }
  if (!/^\d{5}$/.test(h.separateApplication)) {
    out.push({
      severity: 'warning',
      code: 'header-format',
      message: `${label}The header's separate-application code "${h.separateApplication}" (positions 84-88) is not 5 digits: the header's fields may be shifted.`,
      line: h.line,
    });
  }
  // "Separate application" files (code other than 00000) zero their balances: no balance identity to check.
  const separate = /^\d{5}$/.test(h.separateApplication) && h.separateApplication !== '00000';
  if (!separate) {
    const expected = st.oldBalance + credit - debit;
    if (expected !== st.newBalance) {
      out.push({
        severity: 'error',
        code: 'balance',
        message: `${label}Old balance ${formatThousandths(st.oldBalance)} + credits ${formatThousandths(credit)} − debits ${formatThousandths(debit)} = ${formatThousandths(expected)}, but the new balance is ${formatThousandths(st.newBalance)}.`,
        line: st.newBalanceLine ?? st.trailer?.line ?? st.line,
      });
    }
  }
}

/** The statement's number: the CODA sequence (record 1, 126-128), else the paper one (3-5); null when both are zeros. */
function sequenceOf(st: CodaStatement): string | null {
  for (const seq of [st.codaSequence, st.paperSequence]) if (/^\d+$/.test(seq.trim()) && !/^0+$/.test(seq.trim())) return seq.trim();
  return null;
}

function repeatedStatements(file: CodaFile, out: Finding[]) {
  const seen = new Map<string, number>();
  file.statements.forEach((st, i) => {
    const seq = sequenceOf(st);
    const account = st.account.iban ?? st.account.number;
    if (seq === null || !account) return;
    const key = `${account} ${st.account.currency} ${seq}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    out.push({
      severity: 'error',
      code: 'repeated-statement',
      message: `Statement ${i + 1} repeats statement ${first + 1}: the same account ${account} and sequence number ${seq}. Venice would book its movements twice.`,
      line: st.line,
    });
  });
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

function ref(m: { sequence: number; detail: number }): string {
  return m.detail ? `${pad4(m.sequence)}/${pad4(m.detail)}` : pad4(m.sequence);
}
