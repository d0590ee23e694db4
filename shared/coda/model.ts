/**
 * The model of a CODA file (Febelfin "coded statement of account", version 2.x, layout 2.6) as `parseCoda`
 * returns it and `writeCoda` writes it.
 *
 * AMOUNTS ARE SIGNED INTEGER THOUSANDTHS of the account currency, held in a JS `number`: `1234.567 EUR` is
 * `1234567`; credit (sign digit 0) is positive, debit (sign digit 1) negative. CODA amounts have 15 digits
 * (12 + 3 decimals), so every amount is an exact safe integer (|x| ≤ 999 999 999 999 999 < 2^53); sums are
 * checked with `Number.isSafeInteger`. Never divide them into floats for comparison — compare integers.
 * (A zero amount written with the debit sign reads as 0.)
 *
 * Dates are ISO `YYYY-MM-DD` (CODA's DDMMYY with years 00–69 → 20xx, 70–99 → 19xx); `null` when the file
 * writes `000000` (unknown) or a date that does not exist.
 *
 * Text fields are decoded as windows-1252 and trimmed at the end (CODA pads with spaces).
 * `line` fields are 1-based line numbers in the file; the writer ignores them.
 */
import type { Finding } from '../findings';

/** Signed integer thousandths (see module comment). */
export type Thousandths = number;

export interface CodaFile {
  /** One entry per CODA "file" (records 0 … 9); banks concatenate several, one per account and day. */
  statements: CodaStatement[];
  /** Problems met while reading (line lengths, unknown records, broken continuation). Included by `validateCoda`. */
  parseFindings?: Finding[];
}

export interface CodaHeader {
  /** Record 0 pos 6-11. */
  creationDate: string | null;
  /** Pos 12-14: bank identification number (protocol number), or `000`. */
  bankId: string;
  /** Pos 15-16: application code, `05`. */
  applicationCode: string;
  /** Pos 17: `D` on a duplicate. */
  duplicate: boolean;
  /** Pos 25-34: file reference given by the bank. */
  fileReference: string;
  /** Pos 35-60: name of the addressee. */
  addressee: string;
  /** Pos 61-71: BIC of the account-holding bank. */
  bic: string;
  /**
   * Pos 72-82 (`0` + 10 digits): enterprise number of the account holder, 10 digits as written, or `null` when
   * blank or zero. Routes a file to its dossier; `validateCoda` warns when its check digits are wrong.
   */
  enterpriseNumber: string | null;
  /** Pos 84-88: `00000` for a full statement; anything else is a "separate application" (balances zeroed). */
  separateApplication: string;
  /** Pos 89-104 (MT940 field 20). */
  transactionReference: string;
  /** Pos 105-120 (MT940 field 21). */
  relatedReference: string;
  /** Pos 128: 2 (version 1 files are refused by the parser). */
  version: number;
  line?: number;
}

/** Record 1 pos 2: 0 Belgian BBAN, 1 foreign BBAN, 2 IBAN of a Belgian account, 3 IBAN of a foreign account. */
export type AccountStructure = 0 | 1 | 2 | 3;

export interface CodaAccount {
  structure: AccountStructure;
  /** The account number as written (BBAN or IBAN), trimmed. */
  number: string;
  /** Electronic IBAN: the number for structures 2 and 3, converted from the BBAN for structure 0; else null. */
  iban: string | null;
  currency: string;
  /** Structure 0 only: country code (`BE`), qualification code and extension zone. */
  country?: string;
  qualificationCode?: string;
  extension?: string;
  /** Record 1 pos 65-90. */
  holderName: string;
  /** Record 1 pos 91-125. */
  description: string;
}

export interface CodaStatement {
  header: CodaHeader;
  account: CodaAccount;
  /** Record 1 pos 3-5: paper statement sequence number (or Julian date, or zeros), as written. */
  paperSequence: string;
  /** Record 1 pos 126-128: CODA sequence number, restarting at 001 each year (or zeros). */
  codaSequence: string;
  oldBalance: Thousandths;
  oldBalanceDate: string | null;
  newBalance: Thousandths;
  newBalanceDate: string | null;
  /** Record 8 pos 2-4 (paper statement sequence number), as written. */
  newBalancePaperSequence?: string;
  /** Line of record 8. */
  newBalanceLine?: number;
  /** Records 2.x in file order: movements (detail 0) and their globalisation details (detail > 0). */
  movements: CodaMovement[];
  /** Records 4 (free communication), between records 8 and 9. */
  freeCommunications: CodaFreeCommunication[];
  /** Record 9 as read; the writer computes its own. Null when the file has none. */
  trailer: CodaTrailer | null;
  line?: number;
}

export interface CodaTrailer {
  /** Pos 17-22: number of records 1, 2.x, 3.x and 8 (some banks count 4 too). */
  recordCount: number;
  /** Pos 23-37 and 38-52: totals of the detail-0000 movements, both positive thousandths. */
  debitTotal: Thousandths;
  creditTotal: Thousandths;
  /** Pos 128: 1 = another CODA file follows in this physical file, 2 = last. */
  multipleFileCode: string;
  line?: number;
}

export interface TransactionCode {
  /** Pos 54: 0 simple, 1 total by customer, 2 total by bank, 3 simple with details, 5/6/7/8/9 details. */
  type: string;
  /** Pos 55-56: family (01 transfers, 05 direct debit, 04 cards, 35 closing, 80 separate charges…). */
  family: string;
  /** Pos 57-58. */
  transaction: string;
  /** Pos 59-61. */
  category: string;
}

export interface SepaDirectDebit {
  settlementDate: string | null;
  /** 0 unspecified, 1 recurrent, 2 one-off, 3 first, 4 last. */
  directDebitType: string;
  /** 0 unspecified, 1 SEPA core, 2 SEPA B2B. */
  scheme: string;
  /** 0 paid, else the reason for refusal. */
  paidOrReason: string;
  creditorId: string;
  mandateReference: string;
  communication: string;
  rTransactionType: string;
  reason: string;
}

/**
 * A communication across records 2.1/2.2/2.3 (or 3.1/3.2/3.3). `text` is the concatenated zone, trimmed at
 * the end; for a structured communication it is what follows the 3-digit type.
 */
export type CodaCommunication =
  | { structured: false; text: string }
  | {
      structured: true;
      /** 3 digits: 101 Belgian structured reference, 102 reconstituted, 127 SEPA direct debit, 100 RF… */
      type: string;
      text: string;
      /** Types 101/102: the 12 digits. */
      reference?: string;
      /** Types 101/102: whether the check digits (first 10 mod 97, 0 as 97) are right. */
      referenceValid?: boolean;
      /** Type 127. */
      sepaDirectDebit?: SepaDirectDebit;
    };

export interface CodaCounterparty {
  /** Record 2.3 pos 11-47 without the currency, trimmed (IBAN, BBAN or foreign number). */
  account: string;
  /** The currency written after the account, when any. */
  currency?: string;
  /** Record 2.3 pos 48-82. */
  name: string;
  /** Record 2.2 pos 99-109. */
  bic: string;
}

export interface CodaMovement {
  /** Pos 3-6: continuous sequence number. */
  sequence: number;
  /** Pos 7-10: 0 for the movement itself, 1… for globalisation details. */
  detail: number;
  /** Pos 11-31. */
  bankReference: string;
  amount: Thousandths;
  valueDate: string | null;
  transactionCode: TransactionCode;
  communication: CodaCommunication;
  entryDate: string | null;
  /** Pos 122-124. */
  paperSequence: string;
  /** Pos 125: globalisation level (0 = none; 1-9 opens / closes a level). */
  globalisation: number;
  /** Record 2.2 pos 64-98: SEPA end-to-end or payment-information id. */
  customerReference: string;
  counterparty: CodaCounterparty;
  /** Record 2.2 pos 113 (R-transaction type) and 114-117 (ISO reason code). */
  rTransactionType: string;
  reasonCode: string;
  /** Record 2.2 pos 118-121 and 122-125. */
  categoryPurpose: string;
  purpose: string;
  /** Records 3.x that follow this movement. */
  information: CodaInformation[];
  line?: number;
}

export interface CodaInformation {
  sequence: number;
  detail: number;
  bankReference: string;
  transactionCode: TransactionCode;
  communication: CodaCommunication;
  line?: number;
}

export interface CodaFreeCommunication {
  sequence: number;
  detail: number;
  text: string;
  line?: number;
}

/** New balance of a statement: old balance plus every detail-0000 movement. */
export function closingBalance(oldBalance: Thousandths, movements: readonly Pick<CodaMovement, 'amount' | 'detail'>[]): Thousandths {
  let b = oldBalance;
  for (const m of movements) if (m.detail === 0) b += m.amount;
  return b;
}

/** Thousandths → a display string with 2 or 3 decimals, e.g. `-1234567` → `"-1234.567"`, `5000` → `"5.00"`. */
export function formatThousandths(v: Thousandths): string {
  const neg = v < 0;
  const abs = Math.abs(v);
  const int = Math.floor(abs / 1000);
  const frac = abs % 1000;
  const f = frac % 10 === 0 ? String(frac / 10).padStart(2, '0') : String(frac).padStart(3, '0');
  return `${neg ? '-' : ''}${int}.${f}`;
}
