/**
 * Every CODA fixture (../shared/fixtures/coda, real files from pycoda and php-coda-parser) is parsed and
 * checked against values read from the files by hand (positions per Febelfin 2.6, see
 * ../shared/reference/venice-coda-ubl.md §5), and its findings are asserted exactly: the hand-edited
 * php-coda-parser samples and pycoda's faulty files must give the right findings, never an exception.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCoda, validateCoda, type CodaFile, type CodaStatement } from '../../../shared/coda';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/coda');

function read(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FIXTURES, rel)));
}

function parse(rel: string): CodaFile {
  const r = parseCoda(read(rel));
  if (!r.ok) throw new Error(`${rel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function only(rel: string): CodaStatement {
  const f = parse(rel);
  expect(f.statements).toHaveLength(1);
  return f.statements[0]!;
}

/** Findings as `e:code@line` / `w:code@line`, in file order. */
function findings(rel: string): string[] {
  return validateCoda(parse(rel)).map((f) => `${f.severity[0]}:${f.code}@${f.line}`);
}

/** Debit/credit totals of the detail-0000 movements. */
function totals(st: CodaStatement) {
  let debit = 0;
  let credit = 0;
  for (const m of st.movements) {
    if (m.detail !== 0) continue;
    if (m.amount < 0) debit -= m.amount;
    else credit += m.amount;
  }
  return { debit, credit };
}

it('covers every fixture file', () => {
  const all = ['php-coda-parser', 'pycoda'].flatMap((d) => fs.readdirSync(path.join(FIXTURES, d)).map((f) => `${d}/${f}`));
  expect(all.sort()).toEqual(
    [
      ...Array.from({ length: 11 }, (_, i) => `php-coda-parser/sample${i + 1}.cod`),
      'pycoda/Coda_faulty_version.txt',
      'pycoda/Coda_foreign_account.txt',
      'pycoda/Coda_v2_3_faulty_globalisation.txt',
      'pycoda/Coda_v2_3_faulty_globalisation_2.txt',
      'pycoda/Coda_v2_3_globalisation.txt',
      'pycoda/Coda_v2_3_globalisation_2.txt',
      'pycoda/Coda_v2_3_multi_statements.txt',
      'pycoda/Coda_v2_3_single_statement.txt',
    ].sort(),
  );
  // each of them is asserted below
});

describe('pycoda', () => {
  it('Coda_v2_3_single_statement.txt: KBC IBAN statement, 32 movements, consistent', () => {
    const st = only('pycoda/Coda_v2_3_single_statement.txt');
    expect(st.header).toMatchObject({ creationDate: '2009-03-05', bankId: '725', bic: 'KREDBEBB', addressee: 'KOCHUYT RICHARD', enterpriseNumber: '0417331909', separateApplication: '00000', version: 2 });
    expect(st.account).toMatchObject({ structure: 2, number: 'BE86407051416150', iban: 'BE86407051416150', currency: 'EUR', holderName: 'STORA ENSO LANGERBRUGGE NV', description: 'KBC-Bedrijfsrekening' });
    expect(st.paperSequence).toBe('042');
    expect(st.codaSequence).toBe('002');
    expect([st.oldBalance, st.oldBalanceDate, st.newBalance, st.newBalanceDate]).toEqual([0, '2009-03-04', 0, '2009-03-05']);
    expect(st.movements).toHaveLength(32);
    const m = st.movements[0]!;
    expect(m).toMatchObject({ sequence: 1, detail: 0, bankReference: 'SWJVZ0BN6 BKTBBNPOSKZ', amount: 20_000, valueDate: '2009-03-05', entryDate: '2009-03-05', globalisation: 0 });
    expect(m.transactionCode).toEqual({ type: '0', family: '04', transaction: '50', category: '000' });
    expect(m.communication).toMatchObject({ structured: true, type: '114' });
    expect(m.communication.text.startsWith('931384384900')).toBe(true);
    // record 3.1 of movement 0010: "001" counterparty data, AMERICAN EXPRESS
    const infos = st.movements.flatMap((x) => x.information);
    expect(infos).toHaveLength(3);
    expect(infos[0]).toMatchObject({ sequence: 10, detail: 1, bankReference: 'SWJVZ0BOX DOMUCVDIU01', communication: { structured: true, type: '001', text: 'AMERICAN EXPRESS' } });
    expect(infos[0]!.transactionCode).toEqual({ type: '0', family: '05', transaction: '01', category: '000' });
    // movement 0011: counterparty VIVIUM with a BBAN, communication over 2.1 + 2.2
    const vivium = st.movements.find((x) => x.sequence === 11)!;
    expect(vivium.amount).toBe(148_300);
    expect(vivium.counterparty).toMatchObject({ account: '310180203454', name: 'VIVIUM' });
    expect(vivium.communication.text).toContain('VERLIES HAMERLYNCK TONY');
    // trailer: 91 records, debit = credit = 64 703.010 (detail-0000 movements only)
    expect(st.trailer).toMatchObject({ recordCount: 91, debitTotal: 64_703_010, creditTotal: 64_703_010 });
    expect(totals(st)).toEqual({ debit: 64_703_010, credit: 64_703_010 });
    expect(findings('pycoda/Coda_v2_3_single_statement.txt')).toEqual([]);
  });

  it('Coda_v2_3_multi_statements.txt: two statements in one file (CRLF)', () => {
    const f = parse('pycoda/Coda_v2_3_multi_statements.txt');
    expect(f.statements).toHaveLength(2);
    const [a, b] = f.statements as [CodaStatement, CodaStatement];
    expect(a.movements).toHaveLength(32);
    expect(a.account.number).toBe('BE86407051416150');
    expect(b.header.enterpriseNumber).toBe('0536908262');
    expect(b.account).toMatchObject({ structure: 2, number: 'BE12341702625236', holderName: 'BVBA totototototototototoo' });
    expect([b.oldBalance, b.oldBalanceDate, b.newBalance, b.newBalanceDate]).toEqual([19_338_090, '2013-12-23', 10_807_810, '2013-12-24']);
    expect(b.movements).toHaveLength(11);
    expect(b.trailer).toMatchObject({ recordCount: 42, debitTotal: 8_769_870, creditTotal: 239_590 });
    expect(totals(b)).toEqual({ debit: 8_769_870, credit: 239_590 });
    // statement 2, movement 0003 opens a globalisation with no details; the account on record 8 differs (anonymised)
    expect(findings('pycoda/Coda_v2_3_multi_statements.txt')).toEqual(['w:globalisation@100', 'w:account-mismatch@136']);
  });

  it('Coda_v2_3_globalisation.txt: a total with its detail, balance from debit to credit', () => {
    const st = only('pycoda/Coda_v2_3_globalisation.txt');
    expect(st.header.duplicate).toBe(true);
    expect([st.oldBalance, st.newBalance]).toEqual([-455_170, 275_270_530]);
    expect(st.movements.map((m) => [m.sequence, m.detail, m.amount, m.globalisation])).toEqual([
      [1, 0, 113_135_000, 0],
      [2, 0, 113_135_000, 0],
      [3, 0, 50_000_000, 1],
      [3, 2, 50_000_000, 1],
      [4, 0, -544_300, 0],
    ]);
    expect(st.movements[2]!.counterparty).toMatchObject({ account: 'NL133KMG0261239759', name: 'XXXX MARKET SA' });
    expect(st.movements[0]!.counterparty).toMatchObject({ account: 'BE12201702625236', bic: 'GEBABEBB' });
    expect(st.trailer).toMatchObject({ recordCount: 23, debitTotal: 544_300, creditTotal: 276_270_000 });
    expect(findings('pycoda/Coda_v2_3_globalisation.txt')).toEqual(['w:duplicate@1', 'w:account-mismatch@24']);
  });

  it('Coda_v2_3_globalisation_2.txt: detail lines removed, trailer count no longer matches', () => {
    const st = only('pycoda/Coda_v2_3_globalisation_2.txt');
    expect(st.movements).toHaveLength(4);
    expect(st.trailer!.recordCount).toBe(23);
    expect(findings('pycoda/Coda_v2_3_globalisation_2.txt')).toEqual(['w:duplicate@1', 'w:globalisation@13', 'w:account-mismatch@20', 'e:trailer-count@21']);
  });

  it('Coda_v2_3_faulty_globalisation.txt: a globalisation never closed is read as a plain movement', () => {
    const st = only('pycoda/Coda_v2_3_faulty_globalisation.txt');
    expect(st.movements).toHaveLength(11);
    expect(st.movements[2]).toMatchObject({ sequence: 3, globalisation: 1, amount: -5_568_320 });
    expect([st.oldBalance, st.newBalance]).toEqual([19_338_090, 10_807_810]);
    expect(findings('pycoda/Coda_v2_3_faulty_globalisation.txt')).toEqual(['w:globalisation@7', 'w:account-mismatch@43']);
  });

  it('Coda_v2_3_faulty_globalisation_2.txt: totals without details and a 57-character trailer line', () => {
    const st = only('pycoda/Coda_v2_3_faulty_globalisation_2.txt');
    expect(st.movements.map((m) => m.amount)).toEqual([-11_442_410, -2_492_220]);
    // record 2.2: communication blank, SEPA end-to-end reference at 64-98, category purpose SALA at 118-121
    expect(st.movements[0]).toMatchObject({ customerReference: 'SALAIRES XXXXXXX 2014/12 55183', categoryPurpose: 'SALA', communication: { structured: false, text: '' } });
    expect([st.oldBalance, st.newBalance]).toEqual([104_014_760, 90_080_130]);
    expect(st.trailer).toMatchObject({ recordCount: 6, debitTotal: 13_934_630, creditTotal: 0 });
    expect(findings('pycoda/Coda_v2_3_faulty_globalisation_2.txt')).toEqual(['w:duplicate@1', 'w:globalisation@3', 'w:globalisation@5', 'e:line-length@8']);
  });

  it('Coda_foreign_account.txt: structure 3 (French IBAN), a free-communication record 4', () => {
    const st = only('pycoda/Coda_foreign_account.txt');
    expect(st.header).toMatchObject({ bic: 'CCFRFRPP', enterpriseNumber: null, transactionReference: 'DI/SW180202/2459', addressee: 'VILLA XXXXXXX SASU' });
    expect(st.account).toMatchObject({ structure: 3, number: 'FR1234567890240924002304825', currency: 'EUR' });
    expect([st.oldBalance, st.newBalance]).toEqual([443_390_700, 443_346_300]);
    expect(st.movements.map((m) => [m.amount, m.communication.text])).toEqual([
      [-37_000, 'TRANS : NMSC / INFO : ELYS PC ABONNEMENT'],
      [-7_400, 'TRANS : NCOM / INFO : TVA 20 0'],
    ]);
    expect(st.movements[0]!.information[0]!.communication).toEqual({ structured: false, text: 'CONTRAT NO 123456789379' });
    expect(st.freeCommunications).toEqual([{ sequence: 1, detail: 0, text: 'CLOSING AVAILABLE BALANCE C 180202 EUR 443346,3', line: 9 }]);
    // the trailer counts 7 records: 1, 2.1, 2.2, 3.1, 2.1, 2.2, 8 — record 4 not counted, as the spec says
    expect(st.trailer).toMatchObject({ recordCount: 7, debitTotal: 44_400, creditTotal: 0, multipleFileCode: '2' });
    expect(findings('pycoda/Coda_foreign_account.txt')).toEqual([]);
  });

  it('Coda_faulty_version.txt: refused with the version in the reason', () => {
    const r = parseCoda(read('pycoda/Coda_faulty_version.txt'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('unsupported-version');
      expect(r.error.message).toContain('"5"');
    }
  });
});

describe('php-coda-parser', () => {
  it('sample1.cod: Belgian BBAN (structure 0), four credits with anonymised structured communications', () => {
    const st = only('php-coda-parser/sample1.cod');
    expect(st.header).toMatchObject({ creationDate: '2017-10-11', bankId: '725', fileReference: '00265207', addressee: 'BOUWBEDRIJF VOOR GROTE WER', bic: 'KREDBEBB', enterpriseNumber: '0330158420' });
    expect(st.account).toMatchObject({ structure: 0, number: '138536152215', currency: 'EUR', country: 'BE', holderName: 'BOUWBEDRIJF VOOR GROTE WER', description: 'KBC-Bedrijfsrekening' });
    expect([st.oldBalance, st.oldBalanceDate, st.newBalance, st.newBalanceDate]).toEqual([17_752_120, '2017-10-10', 17_832_120, '2017-10-11']);
    expect(st.movements.map((m) => [m.amount, m.counterparty.name, m.counterparty.account, m.counterparty.bic])).toEqual([
      [5_000, 'KLANT1 MET NAAM1', 'BE22313215646432', 'KREDBEBB'],
      [25_000, 'KLANT2 NAAM2', 'BE25646548413215', 'BBRUBEBB'],
      [20_000, 'KLANT3 NAAM3', 'BE32135468465432', 'KREDBEBB'],
      [30_000, 'KLANT4 - NAAM4 MET', 'BE23156453132168', 'GEBABEBB'],
    ]);
    expect(st.movements[0]!.communication).toEqual({ structured: true, type: '101', text: '000003505158', reference: '000003505158', referenceValid: false });
    expect(st.movements[0]!.transactionCode).toEqual({ type: '0', family: '01', transaction: '50', category: '000' });
    expect(st.movements[0]!.information[0]!.communication.text).toMatch(/^KLANT1 MET NAAM1 +GROTE WEG +32 +3215 +HASSELT$/);
    expect(st.trailer).toMatchObject({ recordCount: 22, debitTotal: 0, creditTotal: 80_000 });
    expect(findings('php-coda-parser/sample1.cod')).toEqual([
      'w:enterprise-number@1',
      'w:structured-communication@3',
      'w:structured-communication@8',
      'w:structured-communication@13',
      'w:structured-communication@18',
    ]);
  });

  it('sample2.cod: IBAN, a debit with VAT details and information records; new balance edited', () => {
    const st = only('php-coda-parser/sample2.cod');
    expect(st.header).toMatchObject({ creationDate: '2017-07-03', bic: 'BBRUBEBB', addressee: 'SOME RANDOM COMPANY', enterpriseNumber: '1568365271' });
    expect(st.account).toMatchObject({ structure: 2, number: 'BE62354872126588', currency: 'EUR', description: 'Zichtrekening' });
    expect([st.oldBalance, st.newBalance]).toEqual([25_846_000, 23_154_685]);
    expect(st.movements.map((m) => [m.detail, m.amount])).toEqual([
      [0, -9_680],
      [1, -8_000],
      [2, -1_680],
    ]);
    expect(st.movements[0]!.communication.text).toBe('Zichtrekening nr  21354598                                       - 2,11Justification in annex');
    expect(st.movements[2]!.communication).toMatchObject({ structured: true, type: '106' });
    expect(st.movements[2]!.information).toHaveLength(9);
    expect(st.movements[2]!.information[0]!.communication.text).toContain('INVOICE n  2011/02/000254882');
    expect(st.trailer).toMatchObject({ recordCount: 16, debitTotal: 9_680, creditTotal: 0 });
    // 25 846.000 − 9.680 = 25 836.320, the file says 23 154.685
    expect(findings('php-coda-parser/sample2.cod')).toEqual(['w:enterprise-number@1', 'w:account-mismatch@17', 'e:balance@17']);
  });

  it('sample3.cod: header shifted by one column, trailer copied from another file', () => {
    const st = only('php-coda-parser/sample3.cod');
    expect(st.header.bic).toBe('CREGBEBB');
    expect(st.account).toMatchObject({ structure: 0, number: '732XXXXXXXXX', holderName: 'TIX02 SPRL', description: 'Compte Business One CBC' });
    expect(st.movements.map((m) => [m.detail, m.amount, m.transactionCode.type])).toEqual([
      [0, -812_690, '3'],
      [1, -805_730, '8'],
      [2, -6_960, '8'],
    ]);
    expect(st.movements[0]!.communication.text).toBe('Message goes here');
    expect(st.movements[0]!.counterparty.account).toBe('XXXXXXXXXXXX');
    expect(findings('php-coda-parser/sample3.cod')).toEqual([
      'w:enterprise-number@1',
      'w:header-format@1',
      'w:account-mismatch@7',
      'e:balance@7',
      'e:trailer-count@8',
      'e:trailer-debit-total@8',
      'e:trailer-credit-total@8',
    ]);
  });

  it('sample4.cod: one credit transfer with information records', () => {
    const st = only('php-coda-parser/sample4.cod');
    expect(st.movements).toHaveLength(1);
    const m = st.movements[0]!;
    expect(m).toMatchObject({ sequence: 4, amount: 17_233_540, valueDate: '2017-05-31', entryDate: '2017-05-31' });
    expect(m.communication.text.startsWith('Europese overschrijving (zie bijlage)')).toBe(true);
    expect(m.information.map((i) => i.detail)).toEqual([1, 2, 3]);
    // hand-edited: this 3.1 is shifted one column (bank reference "…137 0"), so its text starts at "1111"
    expect(m.information[2]!.communication.text).toBe('1111 PLACE Belgie IBAN: BE34359648312349');
    expect(findings('php-coda-parser/sample4.cod')).toEqual([
      'w:enterprise-number@1',
      'w:header-format@1',
      'w:account-mismatch@10',
      'e:balance@10',
      'e:trailer-count@11',
      'e:trailer-debit-total@11',
      'e:trailer-credit-total@11',
    ]);
  });

  it('sample5.cod: separate application, records removed by hand (broken continuation codes)', () => {
    const st = only('php-coda-parser/sample5.cod');
    expect(st.header).toMatchObject({ addressee: 'CODELICIOUS', bic: 'GEBABEBB', separateApplication: '00001', transactionReference: '984309', relatedReference: '834080' });
    expect(st.movements.map((m) => [m.sequence, m.amount])).toEqual([
      [1, 1_767_820],
      [2, 2_767_820],
      [9, 1_767_820],
    ]);
    expect(st.movements[1]!.communication).toMatchObject({ structured: true, type: '101', reference: '112455446812', referenceValid: false });
    expect(st.movements[0]!.counterparty).toEqual({ account: 'BE54805480215856', currency: 'EUR', name: 'BVBA.BAKKER PIET', bic: 'GEBCEEBB' });
    expect(st.movements[0]!.information[0]!.communication.text).toContain('SOME INFORMATION ABOUT THIS TRANSACTION');
    expect(st.newBalance).toBe(-500_012_100);
    expect(findings('php-coda-parser/sample5.cod')).toEqual([
      'w:enterprise-number@1',
      'e:continuation@8', // 3.3 after a 3.2 whose next code is 0
      'w:structured-communication@9',
      'e:continuation@13', // 3.2 announced on line 12 never comes
      'w:movement-sequence@13',
      'e:continuation@15', // 2.3 announced on line 14 never comes
      'e:trailer-count@16',
      'e:trailer-debit-total@16',
      'e:trailer-credit-total@16',
    ]);
  });

  it('sample6.cod: like sample5 plus a record 4 that the trailer counts', () => {
    const st = only('php-coda-parser/sample6.cod');
    expect(st.header.addressee).toBe('CODABOX S A');
    expect(st.movements[0]!.amount).toBe(-767_823);
    expect(st.freeCommunications).toEqual([{ sequence: 1, detail: 5, text: 'THIS IS A PUBLIC MESSAGE', line: 16 }]);
    expect(st.trailer!.recordCount).toBe(15); // 14 records 1/2/3/8 + the record 4: accepted either way
    expect(findings('php-coda-parser/sample6.cod')).toEqual([
      'w:enterprise-number@1',
      'e:continuation@8',
      'w:structured-communication@9',
      'e:continuation@13',
      'w:movement-sequence@13',
      'e:continuation@15',
      'e:trailer-debit-total@17',
      'e:trailer-credit-total@17',
    ]);
  });

  it('sample7.cod: a debit total with three details; trailer and balance copied from sample1', () => {
    const st = only('php-coda-parser/sample7.cod');
    expect(st.movements.map((m) => [m.detail, m.amount, m.globalisation])).toEqual([
      [0, -75_000, 1],
      [2, -25_000, 0],
      [3, -20_000, 0],
      [4, -30_000, 0],
    ]);
    expect(st.movements[0]!.customerReference).toBe('p24t20220328122212c1');
    expect(findings('php-coda-parser/sample7.cod')).toEqual([
      'w:enterprise-number@1',
      'w:structured-communication@6',
      'w:structured-communication@11',
      'w:structured-communication@16',
      'e:balance@21',
      'e:trailer-count@22',
      'e:trailer-debit-total@22',
      'e:trailer-credit-total@22',
    ]);
  });

  it('sample8.cod: two salary debits, consistent', () => {
    const st = only('php-coda-parser/sample8.cod');
    expect(st.account).toMatchObject({ structure: 2, number: 'BE11111111111111', holderName: 'BV XXXXXXX' });
    expect(st.movements.map((m) => [m.amount, m.customerReference])).toEqual([
      [-395_550, 'ACERTA/I/03948039/230306/1'],
      [-249_340, 'ACERTA/I/33449300/230306/1'],
    ]);
    expect([st.oldBalance, st.newBalance]).toEqual([1_293_450, 648_560]);
    expect(st.trailer).toMatchObject({ recordCount: 6, debitTotal: 644_890, creditTotal: 0 });
    expect(findings('php-coda-parser/sample8.cod')).toEqual(['w:enterprise-number@1', 'w:globalisation@3', 'w:globalisation@5']);
  });

  it('sample9.cod: one credit left of sample1, trailer not updated', () => {
    const st = only('php-coda-parser/sample9.cod');
    expect(st.movements.map((m) => [m.amount, m.customerReference, m.counterparty.name])).toEqual([[5_000, '243690000141', 'KLANT1 MET NAAM1']]);
    expect(findings('php-coda-parser/sample9.cod')).toEqual(['w:enterprise-number@1', 'w:structured-communication@3', 'e:balance@8', 'e:trailer-count@9', 'e:trailer-credit-total@9']);
  });

  it('sample10.cod: SEPA direct debit collection (communication type 127) with two details', () => {
    const st = only('php-coda-parser/sample10.cod');
    expect(st.movements.map((m) => [m.detail, m.amount, m.transactionCode.type + m.transactionCode.family + m.transactionCode.transaction])).toEqual([
      [0, 1_000_000, '10550'],
      [1, 250_000, '50550'],
      [3, 750_000, '50550'],
    ]);
    expect(st.movements[0]!.customerReference).toBe('REF-RECUR-06-05');
    const d1 = st.movements[1]!;
    expect(d1.communication).toMatchObject({
      structured: true,
      type: '127',
      sepaDirectDebit: {
        settlementDate: '2024-06-06',
        directDebitType: '1',
        scheme: '2',
        paidOrReason: '0',
        creditorId: 'BBE2ZZZ3215646432',
        mandateReference: 'SEPA-000000001',
        communication: '243690000141',
        rTransactionType: '0',
        reason: '',
      },
    });
    expect(d1.counterparty).toEqual({ account: 'BE22313215646432', name: 'KLANT1 MET NAAM1', bic: 'KREDBEBB' });
    expect(d1.categoryPurpose).toBe('SUPP');
    expect(st.movements[2]!.communication).toMatchObject({ sepaDirectDebit: { creditorId: 'BE25ZZZ548413215', mandateReference: 'SEPA-00000002' } });
    expect(st.trailer).toMatchObject({ recordCount: 14, creditTotal: 1_000_000 });
    expect([st.oldBalance, st.newBalance]).toEqual([100_000, 1_100_000]);
    expect(findings('php-coda-parser/sample10.cod')).toEqual(['w:enterprise-number@1']);
  });

  it('sample11.cod: the collection total without its details', () => {
    const st = only('php-coda-parser/sample11.cod');
    expect(st.movements.map((m) => [m.detail, m.amount])).toEqual([[0, 1_000_000]]);
    expect(findings('php-coda-parser/sample11.cod')).toEqual(['w:enterprise-number@1', 'w:globalisation@3']);
  });
});

describe('parser behaviour on real files', () => {
  it('reads LF and CRLF files alike', () => {
    const crlf = Buffer.from(read('pycoda/Coda_v2_3_single_statement.txt')).toString('latin1');
    expect(crlf).toContain('\r\n');
    const lf = parseCoda(crlf.replace(/\r\n/g, '\n'));
    const orig = parseCoda(crlf);
    expect(lf).toEqual(orig);
  });

  it('refuses CODA version 1 with a clear reason', () => {
    const text = Buffer.from(read('php-coda-parser/sample1.cod')).toString('latin1');
    const v1 = text.replace(/^(.{127})2/, '$11');
    const r = parseCoda(v1);
    expect(r).toEqual({ ok: false, error: { code: 'unsupported-version', message: expect.stringContaining('version 1') } });
  });

  it('decodes windows-1252 text (accents, euro sign) from bytes', () => {
    const text = Buffer.from(read('php-coda-parser/sample1.cod')).toString('latin1');
    const bytes = Uint8Array.from(text, (ch) => ch.charCodeAt(0));
    const line5 = text.split('\n')[4]!;
    const at = text.indexOf(line5) + 47; // record 2.3 counterparty name, position 48
    bytes.set([0x43, 0xe9, 0x6c, 0x69, 0x6e, 0x65, 0x20, 0x80, 0x9c], at); // "Céline €œ"
    const r = parseCoda(bytes);
    expect(r.ok && r.value.statements[0]!.movements[0]!.counterparty.name).toBe('Céline €œT NAAM1');
  });

  it('routes a file to its dossier by the enterprise number of record 0', () => {
    const file = parse('pycoda/Coda_v2_3_single_statement.txt');
    expect(validateCoda(file, { dossierEnterpriseNumber: '0417.331.909' })).toEqual([]);
    const other = validateCoda(file, { dossierEnterpriseNumber: '0427.604.308' });
    expect(other.map((f) => [f.severity, f.code, f.line])).toEqual([['error', 'not-addressed-to-dossier', 1]]);
  });

  it('reports a missing trailer, an unknown record and a missing new balance', () => {
    const lines = Buffer.from(read('pycoda/Coda_foreign_account.txt')).toString('latin1').split('\r\n').filter(Boolean);
    const broken = [...lines.slice(0, 3), '7' + ' '.repeat(127), ...lines.slice(3, 6)].join('\n');
    const r = parseCoda(broken);
    expect(r.ok).toBe(true);
    if (r.ok) {
      const codes = validateCoda(r.value).map((f) => `${f.code}@${f.line}`);
      expect(codes).toContain('unknown-record@4');
      expect(codes).toContain('missing-trailer@7');
      expect(codes).toContain('missing-new-balance@1');
    }
  });

  it('gives a typed failure for empty input and for files that are not CODA', () => {
    expect(parseCoda('')).toEqual({ ok: false, error: { code: 'empty', message: expect.any(String) } });
    expect(parseCoda('<?xml version="1.0"?><Invoice/>')).toEqual({ ok: false, error: { code: 'not-coda', message: expect.any(String) } });
  });
});
