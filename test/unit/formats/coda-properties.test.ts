/**
 * Property tests: generated CODA statements round-trip through writeCoda and parseCoda and validate clean;
 * random bytes and mutations of the real fixtures never make the parser or validator throw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibanFromBelgianBban, makeEnterpriseNumber, makeStructuredCommunication, normalizeIban } from '../../../shared/belgian';
import {
  closingBalance,
  codaCommunication,
  encodeWindows1252,
  parseCoda,
  validateCoda,
  writeCoda,
  decodeWindows1252,
  type CodaAccount,
  type CodaCommunication,
  type CodaFile,
  type CodaMovement,
  type CodaStatement,
} from '../../../shared/coda';
import { decodeWindows1252Table } from '../../../shared/coda/cp1252';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/coda');
const fixtureBytes = ['php-coda-parser', 'pycoda'].flatMap((d) =>
  fs.readdirSync(path.join(FIXTURES, d)).map((f) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, d, f)))),
);

// --- generators -------------------------------------------------------------------------------------

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,-/+:()&\'éèàçüöÉ€£œ';
const char = fc.constantFrom(...CHARS);
/** Text a fixed-width field keeps exactly: no trailing space, at most `max` characters. */
const field = (max: number, min = 0) =>
  fc.array(char, { minLength: min, maxLength: max }).map((cs) => cs.join('').replace(/ +$/, ''));
const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const isoDate = fc
  .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2069, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const amount = fc.integer({ min: -999_999_999_999, max: 999_999_999_999 });
const txCode = fc.record({ type: digits(1), family: digits(2), transaction: digits(2), category: digits(3) });

const communication: fc.Arbitrary<CodaCommunication> = fc.oneof(
  field(149).map((text) => ({ structured: false as const, text })),
  fc.integer({ min: 0, max: 9_999_999_999 }).map((n) => codaCommunication(true, '101' + makeStructuredCommunication(n))),
  fc
    .record({ date: isoDate, type: digits(1), scheme: digits(1), paid: digits(1), creditor: field(35), mandate: field(35), text: field(62), r: digits(1), reason: field(4) })
    .map((s) => {
      const [y, m, d] = s.date.split('-');
      const zone = `127${d}${m}${y!.slice(2)}${s.type}${s.scheme}${s.paid}${s.creditor.padEnd(35)}${s.mandate.padEnd(35)}${s.text.padEnd(62)}${s.r}${s.reason.padEnd(4)}`;
      return codaCommunication(true, zone);
    }),
  fc.tuple(digits(3), field(146)).map(([type, text]) => codaCommunication(true, type + text)),
);

const infoCommunication: fc.Arbitrary<CodaCommunication> = fc.oneof(
  field(268).map((text) => ({ structured: false as const, text })),
  fc.tuple(fc.constantFrom('001', '002', '004', '006'), field(265)).map(([t, text]) => codaCommunication(true, t + text)),
);

const bban = fc.integer({ min: 0, max: 9_999_999_999 }).map((n) => {
  const base = String(n).padStart(10, '0');
  const check = n % 97 === 0 ? 97 : n % 97;
  return base + String(check).padStart(2, '0');
});

const account: fc.Arbitrary<CodaAccount> = fc.oneof(
  fc.tuple(bban, field(26), field(35)).map(([b, holderName, description]) => ({ structure: 0 as const, number: b, iban: ibanFromBelgianBban(b), currency: 'EUR', qualificationCode: '0', country: 'BE', extension: '', holderName, description })),
  fc.tuple(bban, field(26), field(35)).map(([b, holderName, description]) => {
    const iban = ibanFromBelgianBban(b)!;
    return { structure: 2 as const, number: iban, iban, currency: 'EUR', holderName, description };
  }),
  fc.tuple(fc.constantFrom('FR7630006000011234567890189', 'NL91ABNA0417164300', 'DE89370400440532013000'), fc.constantFrom('EUR', 'USD'), field(26), field(35)).map(([number, currency, holderName, description]) => ({
    structure: 3 as const,
    number,
    iban: normalizeIban(number),
    currency,
    holderName,
    description,
  })),
  fc.tuple(field(34, 1).filter((s) => !s.startsWith(' ')), field(26), field(35)).map(([number, holderName, description]) => ({ structure: 1 as const, number, iban: null, currency: 'USD', holderName, description })),
);

function movement(sequence: number, detail: number): fc.Arbitrary<CodaMovement> {
  return fc
    .record({
      bankReference: field(21),
      amount,
      valueDate: fc.option(isoDate, { nil: null }),
      transactionCode: txCode,
      communication,
      entryDate: isoDate,
      paperSequence: digits(3),
      customerReference: field(35),
      counterparty: fc.record({ account: field(34).filter((s) => !s.startsWith(' ')), currency: fc.option(fc.constantFrom('EUR', 'USD'), { nil: undefined }), name: field(35), bic: field(11) }),
      rTransactionType: fc.constantFrom('', '1', '2'),
      reasonCode: field(4),
      categoryPurpose: fc.constantFrom('', 'SALA', 'SUPP'),
      purpose: fc.constantFrom('', 'GDDS'),
      information: fc.array(fc.record({ bankReference: field(21), transactionCode: txCode, communication: infoCommunication }), { maxLength: 3 }),
    })
    .map((m) => {
      const counterparty = { ...m.counterparty };
      if (counterparty.currency === undefined) delete counterparty.currency;
      return {
        ...m,
        sequence,
        detail,
        globalisation: 0,
        counterparty,
        information: m.information.map((i, k) => ({ ...i, sequence, detail: detail + k + 1 })),
      };
    });
}

const statement: fc.Arbitrary<CodaStatement> = fc
  .record({
    creationDate: isoDate,
    bankId: digits(3),
    duplicate: fc.boolean(),
    fileReference: field(10).map((s) => s.trim()),
    addressee: field(26),
    bic: fc.constantFrom('KREDBEBB', 'GEBABEBB', 'BBRUBEBB', 'GKCCBEBB'),
    enterpriseNumber: fc.option(fc.integer({ min: 0, max: 19_999_999 }).map(makeEnterpriseNumber), { nil: null }),
    account,
    paperSequence: digits(3),
    codaSequence: digits(3),
    oldBalance: amount,
    oldBalanceDate: isoDate,
    newBalanceDate: isoDate,
    count: fc.integer({ min: 0, max: 6 }),
    free: fc.array(field(80), { maxLength: 2 }),
  })
  .chain((s) =>
    fc.tuple(fc.constant(s), fc.tuple(...Array.from({ length: s.count }, (_, i) => movement(i + 1, 0)))),
  )
  .map(([s, movements]) => ({
    header: {
      creationDate: s.creationDate,
      bankId: s.bankId,
      applicationCode: '05',
      duplicate: s.duplicate,
      fileReference: s.fileReference,
      addressee: s.addressee,
      bic: s.bic,
      enterpriseNumber: s.enterpriseNumber,
      separateApplication: '00000',
      transactionReference: '',
      relatedReference: '',
      version: 2,
    },
    account: s.account,
    paperSequence: s.paperSequence,
    codaSequence: s.codaSequence,
    oldBalance: s.oldBalance,
    oldBalanceDate: s.oldBalanceDate,
    newBalance: closingBalance(s.oldBalance, movements),
    newBalanceDate: s.newBalanceDate,
    newBalancePaperSequence: s.paperSequence,
    movements,
    freeCommunications: s.free.map((text, i) => ({ sequence: 1, detail: i, text })),
    trailer: null,
  }));

/** The model without what the parser adds on its own (line numbers, trailer, findings). */
function strip(st: CodaStatement) {
  const { line: _l, trailer: _t, newBalanceLine: _n, ...rest } = st;
  return {
    ...rest,
    header: { ...st.header, line: undefined },
    movements: st.movements.map(({ line: _ml, ...m }) => ({ ...m, information: m.information.map(({ line: _il, ...i }) => i) })),
    freeCommunications: st.freeCommunications.map(({ line: _fl, ...f }) => f),
  };
}

// --- properties -------------------------------------------------------------------------------------

describe('CODA writer → parser round trip', () => {
  it('parses back what it wrote, as bytes in windows-1252, with a clean validation', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 3 }), fc.constantFrom('\r\n' as const, '\n' as const), (statements, lineEnding) => {
        const text = writeCoda(statements, { lineEnding });
        for (const line of text.split(lineEnding).slice(0, -1)) expect(line).toHaveLength(128);
        const r = parseCoda(encodeWindows1252(text));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.statements.map(strip)).toEqual(statements.map(strip));
        const errors = validateCoda(r.value).filter((f) => f.severity === 'error');
        expect(errors).toEqual([]);
        // the trailer the writer computed is the one the validator checks
        r.value.statements.forEach((st, i) => expect(st.trailer!.multipleFileCode).toBe(i === statements.length - 1 ? '2' : '1'));
      }),
      { numRuns: 200 },
    );
  });

  it('a changed amount is caught by the trailer totals and the balance', () => {
    fc.assert(
      fc.property(statement.filter((s) => s.movements.length > 0), (st) => {
        const lines = writeCoda([st], { lineEnding: '\n' }).split('\n');
        const i = lines.findIndex((l) => l.startsWith('21'));
        const l = lines[i]!;
        const old = l.slice(32, 47);
        lines[i] = l.slice(0, 32) + (old === '999999999999999' ? '000000000000000' : String(Number(old) + 1).padStart(15, '0')) + l.slice(47);
        const r = parseCoda(lines.join('\n'));
        expect(r.ok).toBe(true);
        if (r.ok) {
          const found = validateCoda(r.value).map((f) => f.code);
          expect(found).toContain('balance');
          expect(found.some((c) => c === 'trailer-debit-total' || c === 'trailer-credit-total')).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('CODA parser robustness', () => {
  const noThrow = (input: string | Uint8Array) => {
    const r = parseCoda(input);
    if (r.ok) {
      expect(Array.isArray(validateCoda(r.value))).toBe(true);
    } else {
      expect(typeof r.error.code).toBe('string');
      expect(r.error.code).not.toBe('internal');
    }
  };

  it('random bytes give a parse or a typed failure', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), noThrow), { numRuns: 500 });
    // random bytes behind a valid header, so the record parser is reached
    const header = fixtureBytes[0]!.subarray(0, 129);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (tail) => {
        const bytes = new Uint8Array(header.length + tail.length);
        bytes.set(header);
        bytes.set(tail, header.length);
        noThrow(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated fixtures (bytes changed, inserted, removed, truncated, lines shuffled) never throw', () => {
    const mutation = fc.record({
      file: fc.integer({ min: 0, max: fixtureBytes.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
      cut: fc.option(fc.nat()),
    });
    fc.assert(
      fc.property(mutation, ({ file, edits, cut }) => {
        let bytes = Array.from(fixtureBytes[file]!);
        for (const [pos, kind, value] of edits) {
          const at = bytes.length ? pos % bytes.length : 0;
          if (kind === 0) bytes[at] = value;
          else if (kind === 1) bytes.splice(at, 0, value);
          else if (kind === 2) bytes.splice(at, 1);
          else bytes.splice(at, 0, ...Array.from({ length: 129 }, () => value)); // a whole bogus line
        }
        if (cut !== null) bytes = bytes.slice(0, cut % (bytes.length + 1));
        noThrow(Uint8Array.from(bytes));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: fixtureBytes.length - 1 }), fc.func(fc.integer()), (file, order) => {
        const lines = Buffer.from(fixtureBytes[file]!).toString('latin1').split('\n');
        lines.sort((a, b) => order(a) - order(b));
        noThrow(lines.join('\n'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('windows-1252', () => {
  it('the table decoder and the platform decoder agree on every byte, and encoding is its inverse', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const s = decodeWindows1252(all);
    expect(s).toBe(decodeWindows1252Table(all));
    expect(s[0x80]).toBe('€');
    expect(s[0x9c]).toBe('œ');
    expect(s[0xe9]).toBe('é');
    expect(encodeWindows1252(s)).toEqual(all);
    expect(encodeWindows1252('€ ☃')).toEqual(Uint8Array.from([0x80, 0x20, 0x3f]));
  });

  it('the writer replaces characters windows-1252 cannot hold, keeping every record 128 characters', () => {
    const st = fc.sample(statement, { numRuns: 1, seed: 42 })[0]!;
    const text = writeCoda([{ ...st, account: { ...st.account, holderName: 'Snowman ☃ 😀 Ltd' } }], { lineEnding: '\n' });
    for (const line of text.trimEnd().split('\n')) expect(line).toHaveLength(128);
    const r = parseCoda(encodeWindows1252(text));
    expect(r.ok && r.value.statements[0]!.account.holderName).toBe('Snowman ? ? Ltd');
  });
});

it('CodaFile and CodaStatement[] are both accepted by the writer', () => {
  const st = fc.sample(statement, { numRuns: 1, seed: 7 })[0]!;
  const file: CodaFile = { statements: [st] };
  expect(writeCoda(file)).toBe(writeCoda([st]));
});
