/**
 * Writes CODA 2.6 records (128 characters each) from the model `parseCoda` returns.
 *
 * What the writer decides itself: the continuation codes (2.2 / 2.3 / 3.2 / 3.3 written only when they carry
 * something), the link codes, the trailer (record count of 1, 2.x, 3.x and 8; debit and credit totals of the
 * detail-0000 movements; multiple-file code 1 on all statements but the last, 2 on the last), and version 2.
 * It does NOT recompute balances: `newBalance` is written as given (see `closingBalance` in `./model`).
 * Text is cut to its field and characters windows-1252 cannot hold become `?`; encode the result with
 * `encodeWindows1252` when writing a file.
 */
import { isWindows1252 } from './cp1252';
import type { CodaAccount, CodaCommunication, CodaFile, CodaMovement, CodaStatement, Thousandths, TransactionCode } from './model';

export interface WriteCodaOptions {
  /** Line end after every record, default CRLF (what Belgian banks send). */
  lineEnding?: '\r\n' | '\n';
}

export function writeCoda(file: CodaFile | CodaStatement[], options: WriteCodaOptions = {}): string {
  const statements = Array.isArray(file) ? file : file.statements;
  const eol = options.lineEnding ?? '\r\n';
  const out: string[] = [];
  statements.forEach((st, i) => writeStatement(st, i === statements.length - 1, out));
  return out.length ? out.join(eol) + eol : '';
}

function writeStatement(st: CodaStatement, last: boolean, out: string[]) {
  const h = st.header;
  const start = out.length;
  out.push(
    rec(
      '0',
      '0000',
      date(h.creationDate),
      num(h.bankId, 3),
      text(h.applicationCode || '05', 2),
      h.duplicate ? 'D' : ' ',
      blank(7),
      text(h.fileReference, 10),
      text(h.addressee, 26),
      text(h.bic, 11),
      h.enterpriseNumber ? '0' + num(h.enterpriseNumber, 10) : '00000000000',
      ' ',
      num(h.separateApplication || '00000', 5),
      text(h.transactionReference, 16),
      text(h.relatedReference, 16),
      blank(7),
      '2',
    ),
  );
  const zone = accountZone(st.account);
  out.push(
    rec(
      '1',
      String(st.account.structure),
      text(st.paperSequence, 3),
      zone,
      ...signed(st.oldBalance),
      date(st.oldBalanceDate),
      text(st.account.holderName, 26),
      text(st.account.description, 35),
      text(st.codaSequence, 3),
    ),
  );
  let debit = 0;
  let credit = 0;
  for (const m of st.movements) {
    if (m.detail === 0) {
      if (m.amount < 0) debit -= m.amount;
      else credit += m.amount;
    }
    writeMovement(m, out);
  }
  out.push(
    rec(
      '8',
      text(st.newBalancePaperSequence ?? st.paperSequence, 3),
      zone,
      ...signed(st.newBalance),
      date(st.newBalanceDate),
      blank(64),
      st.freeCommunications.length ? '1' : '0',
    ),
  );
  st.freeCommunications.forEach((f, i) => {
    out.push(rec('4', ' ', seq(f.sequence), seq(f.detail), blank(22), text(f.text, 80), blank(15), i < st.freeCommunications.length - 1 ? '1' : '0'));
  });
  const counted = out.length - start - 1 - st.freeCommunications.length; // all but record 0 and the 4s
  out.push(rec('9', blank(15), num(String(counted), 6), amount(debit), amount(credit), blank(75), last ? '2' : '1'));
}

function writeMovement(m: CodaMovement, out: string[]) {
  const comm = communicationZone(m.communication, 3, [53, 53, 43]);
  const cp = m.counterparty;
  const has22 =
    comm.used > 1 || m.customerReference !== '' || cp.bic !== '' || m.rTransactionType !== '' || m.reasonCode !== '' || m.categoryPurpose !== '' || m.purpose !== '';
  const has23 = comm.used > 2 || cp.account !== '' || (cp.currency ?? '') !== '' || cp.name !== '';
  const hasInfo = m.information.length > 0;
  const s = seq(m.sequence);
  const d = seq(m.detail);
  out.push(
    rec(
      '21',
      s,
      d,
      text(m.bankReference, 21),
      ...signed(m.amount),
      date(m.valueDate),
      txCode(m.transactionCode),
      m.communication.structured ? '1' : '0',
      comm.zones[0]!,
      date(m.entryDate),
      text(m.paperSequence, 3),
      num(String(m.globalisation), 1),
      has22 || has23 ? '1' : '0',
      ' ',
      !has22 && !has23 && hasInfo ? '1' : '0',
    ),
  );
  if (has22) {
    out.push(
      rec(
        '22',
        s,
        d,
        comm.zones[1]!,
        text(m.customerReference, 35),
        text(cp.bic, 11),
        blank(3),
        text(m.rTransactionType, 1),
        text(m.reasonCode, 4),
        text(m.categoryPurpose, 4),
        text(m.purpose, 4),
        has23 ? '1' : '0',
        ' ',
        !has23 && hasInfo ? '1' : '0',
      ),
    );
  }
  if (has23) {
    const account = cp.currency ? text(cp.account, 34) + text(cp.currency, 3) : text(cp.account, 37);
    out.push(rec('23', s, d, account, text(cp.name, 35), comm.zones[2]!, '0', ' ', hasInfo ? '1' : '0'));
  }
  m.information.forEach((info, i) => {
    const ic = communicationZone(info.communication, 3, [73, 105, 90]);
    const more = i < m.information.length - 1 ? '1' : '0';
    const is = seq(info.sequence);
    const id = seq(info.detail);
    const ref = text(info.bankReference, 21);
    out.push(
      rec('31', is, id, ref, txCode(info.transactionCode), info.communication.structured ? '1' : '0', ic.zones[0]!, blank(12), ic.used > 1 ? '1' : '0', ' ', ic.used > 1 ? '0' : more),
    );
    if (ic.used > 1) out.push(rec('32', is, id, ic.zones[1]!, blank(10), ic.used > 2 ? '1' : '0', ' ', ic.used > 2 ? '0' : more));
    if (ic.used > 2) out.push(rec('33', is, id, ic.zones[2]!, blank(25), '0', ' ', more));
  });
}

/** Splits a communication over its zones; `used` = how many zones carry text (at least 1). */
function communicationZone(c: CodaCommunication, _typeLen: number, sizes: number[]): { zones: string[]; used: number } {
  const full = safe(c.structured ? num(c.type, 3) + c.text : c.text).replace(/\s+$/, '');
  const zones: string[] = [];
  let pos = 0;
  let used = 1;
  sizes.forEach((size, i) => {
    const part = full.slice(pos, pos + size);
    if (part.length > 0 && i > 0) used = i + 1;
    zones.push(part.padEnd(size, ' '));
    pos += size;
  });
  return { zones, used };
}

function accountZone(a: CodaAccount): string {
  switch (a.structure) {
    case 0:
      return num(a.number, 12) + ' ' + text(a.currency, 3) + text(a.qualificationCode ?? '0', 1) + text(a.country ?? 'BE', 2) + blank(3) + text(a.extension ?? '', 15);
    case 2:
      return text(a.number, 31) + blank(3) + text(a.currency, 3);
    default:
      return text(a.number, 34) + text(a.currency, 3);
  }
}

function txCode(t: TransactionCode): string {
  return num(t.type, 1) + num(t.family, 2) + num(t.transaction, 2) + num(t.category, 3);
}

function signed(v: Thousandths): [string, string] {
  return [v < 0 ? '1' : '0', amount(Math.abs(v))];
}

function amount(v: Thousandths): string {
  if (!Number.isSafeInteger(v) || v < 0 || v > 999_999_999_999_999) throw new RangeError(`CODA amount out of range: ${v} thousandths`);
  return String(v).padStart(15, '0');
}

function seq(n: number): string {
  return String(((Math.trunc(n) % 10000) + 10000) % 10000).padStart(4, '0');
}

/** ISO date → DDMMYY; null → 000000. */
function date(iso: string | null): string {
  if (!iso) return '000000';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`Not an ISO date: ${iso}`);
  return m[3]! + m[2]! + m[1]!.slice(2);
}

function blank(n: number): string {
  return ' '.repeat(n);
}

/** Digits right-aligned with zeros, cut to the field from the left. */
function num(s: string, n: number): string {
  const digits = (s ?? '').replace(/\D/g, '');
  return digits.length >= n ? digits.slice(digits.length - n) : digits.padStart(n, '0');
}

/** Text left-aligned with spaces, cut to the field. */
function text(s: string | undefined, n: number): string {
  const t = safe(s ?? '');
  return t.length >= n ? t.slice(0, n) : t.padEnd(n, ' ');
}

/** Line breaks and characters windows-1252 cannot hold become `?` / spaces, one character each. */
function safe(s: string): string {
  let t = s.replace(/[\r\n\t]/g, ' ');
  if (!isWindows1252(t)) t = Array.from(t, (ch) => (ch.length === 1 && isWindows1252(ch) ? ch : '?')).join('');
  return t;
}

function rec(...parts: string[]): string {
  const r = parts.join('');
  if (r.length !== 128) throw new Error(`internal: CODA record of ${r.length} characters: ${r}`);
  return r;
}
