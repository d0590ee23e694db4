/**
 * CODA 2.x parser (Febelfin layout 2.6; positions in comments are the spec's 1-based ones).
 *
 * Input: bytes (decoded as windows-1252, or UTF-8 when they start with a UTF-8 BOM) or a string; LF or CRLF.
 * Output: the model of `./model`, or a typed failure when the input is not CODA at all (`empty`, `not-coda`)
 * or is a version this app refuses (`unsupported-version`, e.g. CODA 1). Everything else a file gets wrong —
 * line lengths, unknown records, broken continuation codes, a trailer whose record count is off, a missing
 * trailer — is read as well as it can be and reported in `parseFindings`. It never throws on bad input.
 */
import { ibanFromBelgianBban, normalizeIban, structuredCheckOk } from '../belgian';
import type { Finding, ParseResult } from '../findings';
import { decodeWindows1252 } from './cp1252';
import type {
  AccountStructure,
  CodaAccount,
  CodaCommunication,
  CodaFile,
  CodaHeader,
  CodaInformation,
  CodaMovement,
  CodaStatement,
  SepaDirectDebit,
  TransactionCode,
} from './model';

const RECORD_LENGTH = 128;

/** Decodes CODA bytes: UTF-8 when there is a UTF-8 BOM, else windows-1252. */
export function decodeCodaBytes(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  return decodeWindows1252(bytes);
}

/** Cheap test used by `inspect` and the sync engine to tell CODA from other files: a record 0 first. */
export function looksLikeCoda(input: string | Uint8Array): boolean {
  const head = typeof input === 'string' ? input.slice(0, 20) : decodeCodaBytes(input.subarray(0, 20));
  return /^(?:\uFEFF)?0\d{4}[\d ]{9}05[ D]/.test(head);
}

/**
 * Larger files are refused: a day's statement of a busy account is a few hundred kilobytes, and the model
 * of a file takes about three times its size in memory (64 MB: ~500,000 records).
 */
export const MAX_CODA_BYTES = 64 * 1024 * 1024;

export function parseCoda(input: string | Uint8Array, options: { maxBytes?: number } = {}): ParseResult<CodaFile> {
  const maxBytes = options.maxBytes ?? MAX_CODA_BYTES;
  if (input != null && input.length > maxBytes) {
    return {
      ok: false,
      error: {
        code: 'too-large',
        message: `The file is ${input.length} bytes; CODA files above ${Math.round(maxBytes / 1048576)} MB are not read (a day's statements take far less), to keep the app's memory bounded.`,
      },
    };
  }
  try {
    if (typeof input === 'string') return parseString(input);
    if (input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
      const text = decodeCodaBytes(input);
      const r = parseString(text);
      if (r.ok && text.indexOf('\uFFFD') >= 0 && !validUtf8(input.subarray(3))) {
        r.value.parseFindings = [
          { severity: 'error', code: 'encoding', message: 'The file says it is UTF-8 (it starts with a UTF-8 byte order mark) but is not valid UTF-8: some characters are unreadable.' },
          ...(r.value.parseFindings ?? []),
        ];
      }
      return r;
    }
    return parseBytes(input);
  } catch (e) {
    // Defensive: the parser is written not to throw; if it ever does, the caller still gets a typed failure.
    return { ok: false, error: { code: 'internal', message: `CODA parser failed: ${(e as Error)?.message ?? String(e)}` } };
  }
}

const notCoda = (): ParseResult<CodaFile> => ({
  ok: false,
  error: { code: 'not-coda', message: 'Not a CODA file: the first line is not a CODA header record (0…05).' },
});
const empty = (): ParseResult<CodaFile> => ({ ok: false, error: { code: 'empty', message: 'The file is empty.' } });

function parseString(raw: string): ParseResult<CodaFile> {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (!/\S/.test(text)) return empty();
  if (!looksLikeCoda(text)) return notCoda();
  const s = newState();
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const failure = line(s, text.slice(pos, lineEnd));
    if (failure) return failure;
    pos = end + 1;
  }
  return finish(s);
}

const utf8 = new TextDecoder('utf-8');
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function validUtf8(bytes: Uint8Array): boolean {
  try {
    fatalUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bytes are decoded in one call: nearly every CODA file is ASCII, which the platform's UTF-8 decoder reads
 * fastest (ASCII reads the same in windows-1252); a file with any byte ≥ 0x80 is decoded as windows-1252.
 */
function parseBytes(bytes: Uint8Array): ParseResult<CodaFile> {
  let text = utf8.decode(bytes);
  // Any byte ≥ 0x80 shows as a multi-byte character (fewer characters) or as U+FFFD.
  if (text.length !== bytes.length || text.indexOf('\uFFFD') >= 0) text = decodeWindows1252(bytes);
  return parseString(text);
}

function newState(): State {
  return {
    findings: [],
    statements: [],
    st: null,
    counted: 0,
    fourCount: 0,
    seenOldBalance: false,
    accountZone: '',
    seenNewBalance: false,
    mv: null,
    info: null,
    comm: null,
    comm2: null,
    comm3: null,
    commStructured: false,
    infoComm: null,
    infoComm2: null,
    infoComm3: null,
    infoStructured: false,
    prevType: '',
    prevNext: false,
    prevLink: false,
    prevLine: 0,
    lineNo: 0,
    emptyLines: [],
  };
}

/** One physical line (without its line end). */
function line(s: State, text: string): ParseResult<CodaFile> | null {
  const lineNo = ++s.lineNo;
  if (text.length === 0 || (text.charCodeAt(0) <= 32 && !/\S/.test(text))) {
    s.emptyLines.push(lineNo); // reported only if a record follows: trailing empty lines are harmless
    return null;
  }
  if (s.emptyLines.length) {
    for (const l of s.emptyLines) s.findings.push({ severity: 'warning', code: 'empty-line', message: 'Empty line between records.', line: l });
    s.emptyLines.length = 0;
  }
  let rec = text;
  if (rec.length !== RECORD_LENGTH) {
    s.findings.push({ severity: 'error', code: 'line-length', message: `Record of ${rec.length} characters; CODA records have ${RECORD_LENGTH}.`, line: lineNo });
    rec = rec.length < RECORD_LENGTH ? rec.padEnd(RECORD_LENGTH, ' ') : rec.slice(0, RECORD_LENGTH);
  }
  return record(s, rec, lineNo);
}

function finish(s: State): ParseResult<CodaFile> {
  if (s.st) {
    closeGroups(s);
    s.findings.push({ severity: 'error', code: 'missing-trailer', message: 'The file ends without a trailer record (9).', line: s.prevLine });
    finishStatement(s);
  }
  return { ok: true, value: { statements: s.statements, parseFindings: s.findings } };
}

interface State {
  findings: Finding[];
  statements: CodaStatement[];
  st: CodaStatement | null;
  /** Records 1, 2.x, 3.x, 8 seen in the current statement, and records 4. */
  counted: number;
  fourCount: number;
  seenOldBalance: boolean;
  /** Record 1's account zone (positions 6-42) as written. */
  accountZone: string;
  seenNewBalance: boolean;
  mv: CodaMovement | null;
  info: CodaInformation | null;
  /** Raw communication zones of the current movement / information, joined when the group ends. */
  /** The current movement's communication zones (2.1, 2.2, 2.3), joined when the movement ends. */
  comm: string | null;
  comm2: string | null;
  comm3: string | null;
  commStructured: boolean;
  infoComm: string | null;
  infoComm2: string | null;
  infoComm3: string | null;
  infoStructured: boolean;
  /** What the previous record announced with its next code (pos 126) and link code (pos 128). */
  prevType: string;
  prevNext: boolean;
  prevLink: boolean;
  prevLine: number;
  lineNo: number;
  /** Empty lines seen since the last record. */
  emptyLines: number[];
}

function record(s: State, line: string, lineNo: number): ParseResult<CodaFile> | null {
  const type = recordType(line);
  checkContinuation(s, type, lineNo);

  switch (type) {
    case '0': {
      const version = line[127];
      if (version !== '2') {
        return {
          ok: false,
          error: {
            code: 'unsupported-version',
            message:
              version === '1'
                ? 'CODA version 1 is not supported: it cannot carry IBANs. Ask the bank for CODA version 2.'
                : `CODA version "${version?.trim() || '?'}" is not supported (record 0, position 128); only version 2 is.`,
          },
        };
      }
      if (s.st) {
        closeGroups(s);
        s.findings.push({ severity: 'error', code: 'missing-trailer', message: 'A new header record (0) starts before the trailer (9) of the previous statement.', line: lineNo });
        finishStatement(s);
      }
      s.st = newStatement(header(s, line, lineNo), lineNo);
      s.counted = 0;
      s.fourCount = 0;
      s.seenOldBalance = false;
      s.seenNewBalance = false;
      break;
    }
    case '1': {
      const st = requireStatement(s, lineNo, '1');
      if (!st) break;
      if (s.seenOldBalance) s.findings.push({ severity: 'error', code: 'record-order', message: 'A second old-balance record (1) in one statement.', line: lineNo });
      s.seenOldBalance = true;
      s.counted++;
      const structure = line[1]!;
      if (structure < '0' || structure > '3') {
        s.findings.push({ severity: 'error', code: 'account-structure', message: `Unknown account structure "${structure}" (0-3).`, line: lineNo });
      }
      s.accountZone = line.slice(5, 42);
      st.account = account(structure >= '0' && structure <= '3' ? (Number(structure) as AccountStructure) : 1, s.accountZone);
      st.account.holderName = field(line, 64, 90);
      st.account.description = field(line, 90, 125);
      st.paperSequence = line.slice(2, 5);
      st.codaSequence = line.slice(125, 128);
      st.oldBalance = signedAmount(s, line, 42, lineNo);
      st.oldBalanceDate = dateAt(s, line, 58, lineNo);
      break;
    }
    case '21': {
      const st = requireStatement(s, lineNo, '2.1');
      if (!st) break;
      closeGroups(s);
      s.counted++;
      if (!s.seenOldBalance) s.findings.push({ severity: 'error', code: 'record-order', message: 'Movement record (2.1) before the old balance (1).', line: lineNo });
      const mv: CodaMovement = {
        sequence: intAt(line, 2, 6),
        detail: intAt(line, 6, 10),
        bankReference: field(line, 10, 31),
        amount: signedAmount(s, line, 31, lineNo),
        valueDate: dateAt(s, line, 47, lineNo),
        transactionCode: txCode(line, 53),
        communication: FREE_EMPTY,
        entryDate: dateAt(s, line, 115, lineNo),
        paperSequence: digitsAt(line, 121, 3),
        globalisation: digit(line.charCodeAt(124)),
        customerReference: '',
        counterparty: { account: '', name: '', bic: '' },
        rTransactionType: '',
        reasonCode: '',
        categoryPurpose: '',
        purpose: '',
        information: [],
        line: lineNo,
      };
      s.mv = mv;
      s.commStructured = line[61] === '1';
      s.comm = line.slice(62, 115);
      s.comm2 = null;
      s.comm3 = null;
      st.movements.push(mv);
      break;
    }
    case '22': {
      s.counted++;
      const mv = s.mv;
      if (!mv || s.info) {
        s.findings.push({ severity: 'error', code: 'record-order', message: 'Record 2.2 without a movement (2.1) before it.', line: lineNo });
        break;
      }
      sameMovement(s, mv, line, lineNo, '2.2');
      s.comm2 = line.slice(10, 63);
      mv.customerReference = field(line, 63, 98);
      mv.counterparty.bic = field(line, 98, 109);
      mv.rTransactionType = field(line, 112, 113);
      mv.reasonCode = field(line, 113, 117);
      mv.categoryPurpose = field(line, 117, 121);
      mv.purpose = field(line, 121, 125);
      break;
    }
    case '23': {
      s.counted++;
      const mv = s.mv;
      if (!mv || s.info) {
        s.findings.push({ severity: 'error', code: 'record-order', message: 'Record 2.3 without a movement (2.1) before it.', line: lineNo });
        break;
      }
      sameMovement(s, mv, line, lineNo, '2.3');
      counterpartyAccount(mv.counterparty, line);
      mv.counterparty.name = field(line, 47, 82);
      s.comm3 = line.slice(82, 125);
      break;
    }
    case '31': {
      s.counted++;
      closeInfo(s);
      const mv = s.mv;
      if (!mv) {
        s.findings.push({ severity: 'error', code: 'record-order', message: 'Information record (3.1) without a movement before it.', line: lineNo });
        break;
      }
      if (intAt(line, 2, 6) !== mv.sequence) {
        s.findings.push({ severity: 'error', code: 'continuation', message: `Information record 3.1 has sequence ${line.slice(2, 6)}, its movement ${pad4(mv.sequence)}.`, line: lineNo });
      }
      const info: CodaInformation = {
        sequence: intAt(line, 2, 6),
        detail: intAt(line, 6, 10),
        bankReference: field(line, 10, 31),
        transactionCode: txCode(line, 31),
        communication: FREE_EMPTY,
        line: lineNo,
      };
      s.info = info;
      s.infoStructured = line[39] === '1';
      s.infoComm = line.slice(40, 113);
      s.infoComm2 = null;
      s.infoComm3 = null;
      mv.information.push(info);
      break;
    }
    case '32':
    case '33': {
      s.counted++;
      const info = s.info;
      if (!info) {
        s.findings.push({ severity: 'error', code: 'record-order', message: `Record ${type[0]}.${type[1]} without an information record (3.1) before it.`, line: lineNo });
        break;
      }
      if (intAt(line, 2, 6) !== info.sequence || intAt(line, 6, 10) !== info.detail) {
        s.findings.push({ severity: 'error', code: 'continuation', message: `Record ${type[0]}.${type[1]} numbered ${line.slice(2, 10)} continues information ${pad4(info.sequence)}${pad4(info.detail)}.`, line: lineNo });
      }
      if (type === '32') s.infoComm2 = line.slice(10, 115);
      else s.infoComm3 = line.slice(10, 100);
      break;
    }
    case '8': {
      const st = requireStatement(s, lineNo, '8');
      if (!st) break;
      closeGroups(s);
      s.counted++;
      if (s.seenNewBalance) s.findings.push({ severity: 'error', code: 'record-order', message: 'A second new-balance record (8) in one statement.', line: lineNo });
      s.seenNewBalance = true;
      st.newBalancePaperSequence = line.slice(1, 4);
      st.newBalanceLine = lineNo;
      st.newBalance = signedAmount(s, line, 41, lineNo);
      st.newBalanceDate = dateAt(s, line, 57, lineNo);
      const zone = line.slice(4, 41);
      // The same zone as on record 1 (the usual case) needs no second reading of the account.
      if (s.seenOldBalance && zone !== s.accountZone && zone !== accountZoneOf(st.account, zone)) {
        s.findings.push({ severity: 'warning', code: 'account-mismatch', message: 'The account on the new balance (8) differs from the one on the old balance (1).', line: lineNo });
      }
      break;
    }
    case '4': {
      const st = requireStatement(s, lineNo, '4');
      if (!st) break;
      closeGroups(s);
      s.fourCount++;
      if (!s.seenNewBalance) s.findings.push({ severity: 'warning', code: 'record-order', message: 'Free communication (4) before the new balance (8).', line: lineNo });
      st.freeCommunications.push({ sequence: intAt(line, 2, 6), detail: intAt(line, 6, 10), text: field(line, 32, 112), line: lineNo });
      break;
    }
    case '9': {
      const st = requireStatement(s, lineNo, '9');
      if (!st) break;
      closeGroups(s);
      st.trailer = {
        recordCount: intAt(line, 16, 22),
        debitTotal: amount(s, line, 22, lineNo),
        creditTotal: amount(s, line, 37, lineNo),
        multipleFileCode: line[127]!.trim(),
        line: lineNo,
      };
      if (!/^\d{6}$/.test(line.slice(16, 22))) {
        s.findings.push({ severity: 'error', code: 'number', message: `Trailer record count "${line.slice(16, 22)}" is not a number.`, line: lineNo });
      }
      const t = st.trailer.recordCount;
      if (t !== s.counted && t !== s.counted + s.fourCount) {
        s.findings.push({
          severity: 'error',
          code: 'trailer-count',
          message: `The trailer counts ${t} records; the statement has ${s.counted} (records 1, 2.x, 3.x and 8${s.fourCount ? `, plus ${s.fourCount} record(s) 4` : ''}).`,
          line: lineNo,
        });
      }
      finishStatement(s);
      break;
    }
    default:
      s.findings.push({ severity: 'error', code: 'unknown-record', message: `Unknown record type "${type}".`, line: lineNo });
  }
  s.prevType = type;
  s.prevNext = line[125] === '1' && (type === '21' || type === '22' || type === '31' || type === '32');
  s.prevLink = line[127] === '1' && (type[0] === '2' || type[0] === '3');
  s.prevLine = lineNo;
  return null;
}

/** Continuation (pos 126) and link (pos 128) codes of the previous record against this one. */
function checkContinuation(s: State, type: string, lineNo: number) {
  const p = s.prevType;
  const announced22or23 = s.prevNext && p === '21';
  const announced23 = s.prevNext && p === '22';
  const announced32 = s.prevNext && p === '31';
  const announced33 = s.prevNext && p === '32';
  let problem: string | null = null;
  if (type === '22' && !announced22or23) problem = 'Record 2.2 follows a record that did not announce it (next code).';
  else if (type === '23' && !announced22or23 && !announced23) problem = 'Record 2.3 follows a record that did not announce it (next code).';
  else if (type === '32' && !announced32) problem = 'Record 3.2 follows a record that did not announce it (next code).';
  else if (type === '33' && !announced33) problem = 'Record 3.3 follows a record that did not announce it (next code).';
  else if (announced22or23 && type !== '22' && type !== '23') problem = `Record ${p[0]}.${p[1]} on line ${s.prevLine} announces a continuation record that does not follow.`;
  else if ((announced23 || announced32 || announced33) && type !== (announced23 ? '23' : announced32 ? '32' : '33')) {
    problem = `Record ${p[0]}.${p[1]} on line ${s.prevLine} announces a continuation record that does not follow.`;
  } else if (type === '31' && !s.prevLink) problem = 'Information record 3.1 follows a record whose link code does not announce it.';
  else if (s.prevLink && type !== '31' && !s.prevNext) problem = `Record ${p[0]}.${p[1]} on line ${s.prevLine} announces an information record (link code) that does not follow.`;
  if (problem) s.findings.push({ severity: 'error', code: 'continuation', message: problem, line: lineNo });
}

function sameMovement(s: State, mv: CodaMovement, line: string, lineNo: number, label: string) {
  if (intAt(line, 2, 6) !== mv.sequence || intAt(line, 6, 10) !== mv.detail) {
    s.findings.push({
      severity: 'error',
      code: 'continuation',
      message: `Record ${label} numbered ${line.slice(2, 10)} continues movement ${pad4(mv.sequence)}${pad4(mv.detail)}.`,
      line: lineNo,
    });
  }
}

function requireStatement(s: State, lineNo: number, label: string): CodaStatement | null {
  if (s.st) return s.st;
  s.findings.push({ severity: 'error', code: 'record-order', message: `Record ${label} outside a statement (no header record 0 before it).`, line: lineNo });
  return null;
}

function newStatement(h: CodaHeader, lineNo: number): CodaStatement {
  return {
    header: h,
    account: { structure: 2, number: '', iban: null, currency: '', holderName: '', description: '' },
    paperSequence: '',
    codaSequence: '',
    oldBalance: 0,
    oldBalanceDate: null,
    newBalance: 0,
    newBalanceDate: null,
    movements: [],
    freeCommunications: [],
    trailer: null,
    line: lineNo,
  };
}

function finishStatement(s: State) {
  const st = s.st!;
  if (!s.seenOldBalance) s.findings.push({ severity: 'error', code: 'missing-old-balance', message: 'The statement has no old-balance record (1).', line: st.line });
  if (!s.seenNewBalance) s.findings.push({ severity: 'error', code: 'missing-new-balance', message: 'The statement has no new-balance record (8).', line: st.line });
  s.statements.push(st);
  s.st = null;
  s.mv = null;
  s.info = null;
}

/** Ends the current information and movement groups: their communications are complete. */
function closeGroups(s: State) {
  closeInfo(s);
  if (s.mv && s.comm !== null) {
    s.mv.communication = communicationOf(s.commStructured, s.comm, s.comm2, 53, s.comm3);
    s.comm = null;
  }
  s.mv = null;
}

function closeInfo(s: State) {
  if (s.info && s.infoComm !== null) {
    s.info.communication = communicationOf(s.infoStructured, s.infoComm, s.infoComm2, 105, s.infoComm3);
    s.infoComm = null;
  }
  s.info = null;
}

const FREE_EMPTY: CodaCommunication = { structured: false, text: '' };

/**
 * A communication from its record zones (first, second of `width2`, third), without joining blank zones: the
 * text is the zones one after the other without its trailing blanks (a missing second zone counts as blank).
 */
function communicationOf(structured: boolean, z1: string, z2: string | null, width2: number, z3: string | null): CodaCommunication {
  const t3 = z3 === null ? '' : trimEnd(z3);
  const t2 = t3 ? (z2 ?? '').padEnd(width2, ' ') : z2 === null ? '' : trimEnd(z2);
  const first = structured ? z1.slice(3) : z1;
  const text = t2 || t3 ? first.padEnd(z1.length - (structured ? 3 : 0), ' ') + t2 + t3 : trimEnd(first);
  if (!structured) return { structured: false, text };
  return structuredCommunication(z1.slice(0, 3), text);
}

/** Builds a communication from its zones joined (structured: 3-digit type first). Shared with tests and the writer's users. */
export function communication(structured: boolean, zone: string): CodaCommunication {
  if (!structured) return { structured: false, text: trimEnd(zone) };
  return structuredCommunication(zone.slice(0, 3), trimEnd(zone.slice(3)));
}

function structuredCommunication(type: string, text: string): CodaCommunication {
  const c: CodaCommunication = { structured: true, type, text };
  if (type === '101' || type === '102') {
    const digits = text.slice(0, 12);
    if (/^\d{12}$/.test(digits)) {
      c.reference = digits;
      c.referenceValid = structuredCheckOk(digits);
    } else {
      c.referenceValid = false;
    }
  } else if (type === '127') {
    c.sepaDirectDebit = sepaDirectDebit(text.padEnd(146, ' '));
  }
  return c;
}

function sepaDirectDebit(t: string): SepaDirectDebit {
  return {
    settlementDate: isoDate(t.slice(0, 6)),
    directDebitType: t[6]!.trim(),
    scheme: t[7]!.trim(),
    paidOrReason: t[8]!.trim(),
    creditorId: trimEnd(t.slice(9, 44)),
    mandateReference: trimEnd(t.slice(44, 79)),
    communication: trimEnd(t.slice(79, 141)),
    rTransactionType: t[141]!.trim(),
    reason: trimEnd(t.slice(142, 146)),
  };
}

function header(s: State, line: string, lineNo: number): CodaHeader {
  const ent = line.slice(72, 82);
  return {
    creationDate: dateAt(s, line, 5, lineNo),
    bankId: line.slice(11, 14),
    applicationCode: line.slice(14, 16),
    duplicate: line[16] === 'D',
    fileReference: line.slice(24, 34).trim(),
    addressee: field(line, 34, 60),
    bic: line.slice(60, 71).trim(),
    enterpriseNumber: /^0*$/.test(ent.trim()) ? null : ent.trim(),
    separateApplication: line.slice(83, 88),
    transactionReference: line.slice(88, 104).trim(),
    relatedReference: line.slice(104, 120).trim(),
    version: 2,
    line: lineNo,
  };
}

/** The last account checked: a file's statements are mostly for one account. */
let lastIban: [string, string | null] = ['', null];
function ibanOf(number: string): string | null {
  if (lastIban[0] !== number) lastIban = [number, normalizeIban(number)];
  return lastIban[1];
}

function account(structure: AccountStructure, z: string): CodaAccount {
  switch (structure) {
    case 0: {
      const number = z.slice(0, 12);
      return {
        structure,
        number: trimEnd(number),
        iban: ibanFromBelgianBban(number),
        currency: z.slice(13, 16).trim(),
        qualificationCode: z.slice(16, 17).trim(),
        country: z.slice(17, 19).trim(),
        extension: trimEnd(z.slice(22, 37)),
        holderName: '',
        description: '',
      };
    }
    case 2: {
      const number = trimEnd(z.slice(0, 31));
      return { structure, number, iban: ibanOf(number), currency: z.slice(34, 37).trim(), holderName: '', description: '' };
    }
    default: {
      const number = trimEnd(z.slice(0, 34));
      return { structure, number, iban: structure === 3 ? ibanOf(number) : null, currency: z.slice(34, 37).trim(), holderName: '', description: '' };
    }
  }
}

/** The record-8 account zone for comparison with record 1 (same layout, compared on the parsed fields). */
function accountZoneOf(a: CodaAccount, zone: string): string {
  const b = account(a.structure, zone);
  return b.number === a.number && b.currency === a.currency ? zone : '';
}

function txCode(line: string, at: number): TransactionCode {
  return { type: line[at]!, family: digitsAt(line, at + 1, 2), transaction: digitsAt(line, at + 3, 2), category: digitsAt(line, at + 5, 3) };
}

/** Shared strings for 2- and 3-digit codes (transaction codes, sequence numbers): no allocation per record. */
const DIGITS2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

function digitsAt(line: string, at: number, n: 2 | 3): string {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c >>> 0 > 9) return line.slice(at, at + n);
    v = v * 10 + c;
  }
  return n === 2 ? DIGITS2[v]! : DIGITS3[v]!;
}

function signedAmount(s: State, line: string, signAt: number, lineNo: number): number {
  const sign = line.charCodeAt(signAt);
  const v = amount(s, line, signAt + 1, lineNo);
  if (sign !== 48 && sign !== 49) {
    s.findings.push({ severity: 'error', code: 'number', message: `Amount sign "${line[signAt]}" is neither 0 (credit) nor 1 (debit).`, line: lineNo });
  }
  return sign === 49 ? (v === 0 ? 0 : -v) : v;
}

/** 15 digits (12 + 3 decimals) → integer thousandths. */
/** The 15 digits (12 + 3 decimals) at line[at, at + 15) → integer thousandths. */
function amount(s: State, line: string, at: number, lineNo: number): number {
  let v = 0;
  for (let i = at; i < at + 15; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      s.findings.push({ severity: 'error', code: 'number', message: `Amount "${line.slice(at, at + 15)}" is not 15 digits.`, line: lineNo });
      return 0;
    }
    v = v * 10 + c;
  }
  return v;
}

function digit(code: number): number {
  const c = code - 48;
  return c >= 0 && c <= 9 ? c : 0;
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

/** DDMMYY → ISO; `000000` or blank → null; an impossible date → null with a finding. */
function date(s: State, ddmmyy: string, lineNo: number): string | null {
  if (ddmmyy === '000000' || ddmmyy === '      ') return null;
  const iso = isoDate(ddmmyy);
  if (iso === null) s.findings.push({ severity: 'warning', code: 'date', message: `"${ddmmyy}" is not a date (DDMMYY).`, line: lineNo });
  return iso;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isoDate(ddmmyy: string): string | null {
  if (!/^\d{6}$/.test(ddmmyy) || ddmmyy === '000000') return null;
  const d = Number(ddmmyy.slice(0, 2));
  const m = Number(ddmmyy.slice(2, 4));
  const yy = Number(ddmmyy.slice(4, 6));
  const y = yy < 70 ? 2000 + yy : 1900 + yy;
  if (m < 1 || m > 12 || d < 1 || d > DAYS[m - 1]!) return null;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return null;
  return `${y}-${ddmmyy.slice(2, 4)}-${ddmmyy.slice(0, 2)}`;
}

/** The record type as a constant string ('0', '1', '21' … '9'), without allocating. */
function recordType(line: string): string {
  const c0 = line.charCodeAt(0);
  const c1 = line.charCodeAt(1);
  if (c0 === 50 /* 2 */ && c1 >= 49 && c1 <= 51) return c1 === 49 ? '21' : c1 === 50 ? '22' : '23';
  if (c0 === 51 /* 3 */ && c1 >= 49 && c1 <= 51) return c1 === 49 ? '31' : c1 === 50 ? '32' : '33';
  switch (c0) {
    case 48:
      return '0';
    case 49:
      return '1';
    case 52:
      return '4';
    case 56:
      return '8';
    case 57:
      return '9';
    default:
      return c0 === 50 || c0 === 51 ? line.slice(0, 2) : line[0]!;
  }
}

/**
 * Record 2.3 positions 11-47: the counterparty's account as the original payment gave it. A Belgian BBAN is
 * 12 digits, a blank and the 3-letter currency (`728051142478 EUR`), whatever follows; an IBAN or foreign
 * account fills 34 positions, then the currency; otherwise the zone is the account alone.
 */
function counterpartyAccount(cp: { account: string; currency?: string }, line: string): void {
  let bban = line.charCodeAt(22) === 32 && isUpper(line.charCodeAt(23)) && isUpper(line.charCodeAt(24)) && isUpper(line.charCodeAt(25));
  for (let i = 10; bban && i < 22; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) bban = false;
  }
  if (bban) {
    cp.account = line.slice(10, 22);
    cp.currency = line.slice(23, 26);
  } else if (isUpper(line.charCodeAt(44)) && isUpper(line.charCodeAt(45)) && isUpper(line.charCodeAt(46))) {
    cp.account = field(line, 10, 44);
    cp.currency = line.slice(44, 47);
  } else {
    cp.account = field(line, 10, 47);
  }
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** line[a, b) without its trailing spaces, sliced once. */
function field(line: string, a: number, b: number): string {
  let e = b;
  while (e > a && line.charCodeAt(e - 1) === 32) e--;
  return line.slice(a, e);
}

/** Digits of line[a, b) as a number (non-digits skipped). */
function intAt(line: string, a: number, b: number): number {
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) v = v * 10 + c;
  }
  return v;
}

/** DDMMYY at line[a, a+6) → ISO, from character codes. */
function dateAt(s: State, line: string, a: number, lineNo: number): string | null {
  const d1 = line.charCodeAt(a) - 48;
  const d2 = line.charCodeAt(a + 1) - 48;
  const m1 = line.charCodeAt(a + 2) - 48;
  const m2 = line.charCodeAt(a + 3) - 48;
  const y1 = line.charCodeAt(a + 4) - 48;
  const y2 = line.charCodeAt(a + 5) - 48;
  if (d1 >>> 0 <= 9 && d2 >>> 0 <= 9 && m1 >>> 0 <= 9 && m2 >>> 0 <= 9 && y1 >>> 0 <= 9 && y2 >>> 0 <= 9) {
    const d = d1 * 10 + d2;
    const m = m1 * 10 + m2;
    if (d === 0 && m === 0 && y1 === 0 && y2 === 0) return null;
    const yy = y1 * 10 + y2;
    const y = yy < 70 ? 2000 + yy : 1900 + yy;
    if (m >= 1 && m <= 12 && d >= 1 && d <= DAYS[m - 1]! && !(m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) {
      return `${y}-${DIGITS2[m]}-${DIGITS2[d]}`;
    }
  }
  return date(s, line.slice(a, a + 6), lineNo);
}


function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}
