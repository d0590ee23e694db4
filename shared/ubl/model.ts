/**
 * The one normalized model of a UBL invoice or credit note, whichever flavour it came in: UBL 2.1 Peppol BIS
 * Billing 3.0, UBL.BE, or UBL 2.0 e-FFF, with or without a Standard Business Document header.
 *
 * MONEY AND QUANTITIES ARE `Decimal` STRINGS, never binary floats: a plain decimal numeral exactly as the file
 * wrote it, normalized only so that it matches /^-?\d+(\.\d+)?$/ (a leading `+` dropped, `.5` → `0.5`,
 * `5.` → `5`). Scale is kept (`"100.00"` stays `"100.00"`, `"1300"` stays `"1300"`). Do arithmetic with the
 * helpers in `./decimal` (exact, bigint based). Amounts are in the document currency unless a field says
 * otherwise.
 *
 * Dates are ISO `YYYY-MM-DD` strings. Absent optional elements are `undefined`; mandatory elements that a
 * file lacks are `''` (text) and reported by `validateUbl`, never guessed.
 */
import type { Finding } from '../findings';

/** Exact decimal numeral, e.g. `"1234.50"`, `"-3"`, `"0.125"`. See the module comment. */
export type Decimal = string;

export type UblKind = 'invoice' | 'credit-note';

export interface UblDocument {
  kind: UblKind;
  /** `cbc:UBLVersionID` when present (`2.0` for e-FFF; BIS 3.0 files usually omit it). */
  ublVersion?: string;
  customizationId: string;
  profileId?: string;
  /** Invoice or credit-note number (`cbc:ID`, BT-1). */
  number: string;
  issueDate: string;
  /** BT-9: `cbc:DueDate` on invoices, `cac:PaymentMeans/cbc:PaymentDueDate` on UBL 2.1 credit notes. */
  dueDate?: string;
  /** `cbc:InvoiceTypeCode` / `cbc:CreditNoteTypeCode` (380 invoice, 381 credit note, 384 correction…). */
  typeCode: string;
  notes: string[];
  currency: string;
  taxCurrency?: string;
  buyerReference?: string;
  accountingCost?: string;
  invoicePeriod?: { start?: string; end?: string };
  deliveryDate?: string;
  seller: UblParty;
  buyer: UblParty;
  /** `cac:PayeeParty` when someone other than the seller is to be paid. */
  payee?: UblParty;
  references: UblReferences;
  attachments: UblAttachment[];
  paymentMeans: UblPaymentMeans[];
  paymentTerms?: string;
  /** Document-level allowances and charges (BG-20, BG-21). */
  allowanceCharges: UblAllowanceCharge[];
  vatBreakdown: UblVatSubtotal[];
  totals: UblTotals;
  lines: UblLine[];
  /** Problems the parser met while reading (e.g. an amount that is not a number). Included by `validateUbl`. */
  parseFindings?: Finding[];
}

export interface UblIdentifier {
  id: string;
  /** `schemeID` attribute: Peppol EAS / ICD code such as `0208` (BE enterprise number), `9925` (BE VAT), `0088` (GLN). */
  scheme?: string;
}

export interface UblAddress {
  street?: string;
  additionalStreet?: string;
  city?: string;
  postalCode?: string;
  countrySubentity?: string;
  addressLine?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}

export interface UblParty {
  /** Trading name (`cac:PartyName`) or, when absent, the registration name. */
  name: string;
  /** `cac:PartyLegalEntity/cbc:RegistrationName`. */
  registrationName?: string;
  /** VAT number as written in `cac:PartyTaxScheme/cbc:CompanyID` with TaxScheme VAT, normalized (`BE0123456789`) when it parses. */
  vatNumber?: string;
  /** `cac:PartyLegalEntity/cbc:CompanyID` as written, with its scheme. */
  legalId?: UblIdentifier;
  /**
   * Belgian enterprise number (10 digits) found in the party: legal entity or endpoint or party identification
   * with scheme 0208 (or legacy 9956), else derived from a Belgian VAT number (scheme 9925 or a `BE…` VAT id).
   * Present only when the digits check out; `enterpriseNumberInvalid` holds a Belgian number that does not.
   */
  enterpriseNumber?: string;
  enterpriseNumberInvalid?: string;
  /** Peppol endpoint (`cbc:EndpointID` with its scheme). */
  endpoint?: UblIdentifier;
  identifiers: UblIdentifier[];
  address?: UblAddress;
  contact?: { name?: string; phone?: string; email?: string };
}

export interface UblReferences {
  /** `cac:OrderReference/cbc:ID` (BT-13). */
  order?: string;
  /** `cac:OrderReference/cbc:SalesOrderID` (BT-14). */
  salesOrder?: string;
  /** `cac:ContractDocumentReference/cbc:ID` (BT-12). */
  contract?: string;
  /** `cac:ProjectReference/cbc:ID` (BT-11). */
  project?: string;
  despatch?: string;
  receipt?: string;
  originator?: string;
  /** `cac:AdditionalDocumentReference` with DocumentTypeCode 130: invoiced object identifier (BT-18). */
  invoicedObject?: string;
  /** `cac:BillingReference/cac:InvoiceDocumentReference`: the invoice(s) a credit note or correction refers to (BG-3). */
  invoices: { id: string; issueDate?: string }[];
}

/** `cac:AdditionalDocumentReference` other than type 130 (invoiced object) and, on credit notes, 50 (project). */
export interface UblAttachment {
  /** `cac:AdditionalDocumentReference/cbc:ID`. */
  id: string;
  documentTypeCode?: string;
  description?: string;
  filename?: string;
  mimeType?: string;
  /** Decoded bytes of `cbc:EmbeddedDocumentBinaryObject` (base64 in the file). */
  content?: Uint8Array;
  /** `cac:ExternalReference/cbc:URI` for attachments that are links rather than embedded. */
  uri?: string;
}

export interface UblPaymentMeans {
  /** UNCL4461 code: 30 credit transfer, 58 SEPA credit transfer, 49 direct debit, 59 SEPA direct debit, 1 not defined… */
  code: string;
  /** `cbc:PaymentID` (BIS 3.0) or `cbc:InstructionID` (e-FFF) as written. */
  paymentId?: string;
  /** Belgian structured communication (12 digits) when `paymentId` is one, check digits verified. */
  structuredCommunication?: string;
  /** Payee account (`cac:PayeeFinancialAccount/cbc:ID`), normalized to electronic IBAN form when it is a valid IBAN. */
  account?: string;
  accountName?: string;
  /** `cac:FinancialInstitutionBranch/cbc:ID`. */
  bic?: string;
  /** Direct-debit mandate reference (BT-89). */
  mandateId?: string;
}

export interface UblAllowanceCharge {
  isCharge: boolean;
  amount: Decimal;
  baseAmount?: Decimal;
  percent?: Decimal;
  reason?: string;
  reasonCode?: string;
  /** Document level: the VAT category of the allowance/charge (S, Z, E, AE, K, G, O, L, M). Absent on line level. */
  vatCategory?: string;
  vatRate?: Decimal;
}

export interface UblVatSubtotal {
  /** UNCL5305 category: S standard, Z zero, E exempt, AE reverse charge, K intra-community, G export, O outside scope, L, M. */
  category: string;
  rate?: Decimal;
  taxableAmount: Decimal;
  taxAmount: Decimal;
  exemptionReason?: string;
  exemptionReasonCode?: string;
}

export interface UblTotals {
  /** BT-106 sum of line net amounts. */
  lineExtension: Decimal;
  /** BT-109. */
  taxExclusive: Decimal;
  /** BT-112. */
  taxInclusive: Decimal;
  /** BT-107. */
  allowanceTotal?: Decimal;
  /** BT-108. */
  chargeTotal?: Decimal;
  /** BT-113. */
  prepaid?: Decimal;
  /** BT-114. */
  rounding?: Decimal;
  /** BT-115. */
  payable: Decimal;
  /** BT-110: `cac:TaxTotal/cbc:TaxAmount` in the document currency. */
  vatTotal: Decimal;
  /** BT-111: VAT total in the tax currency, when one is given. */
  vatTotalInTaxCurrency?: Decimal;
}

export interface UblLine {
  id: string;
  quantity: Decimal;
  /** UN/ECE rec 20 unit (`C62` one, `HUR` hour, `DAY`…). */
  unitCode?: string;
  /** BT-131 line net amount. */
  lineExtensionAmount: Decimal;
  name: string;
  description?: string;
  sellersItemId?: string;
  buyersItemId?: string;
  standardItemId?: UblIdentifier;
  /** BT-146 item net price. */
  price: Decimal;
  /** BT-149 price base quantity. */
  baseQuantity?: Decimal;
  vatCategory: string;
  vatRate?: Decimal;
  allowanceCharges: UblAllowanceCharge[];
  note?: string;
  accountingCost?: string;
  orderLineReference?: string;
  period?: { start?: string; end?: string };
}

/** Customisation identifiers this app knows (Venice imports them); anything else is reported as a warning. */
export const CUSTOMIZATION = {
  peppolBis3: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
  ublBe: 'urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214',
  /** e-FFF (UBL 2.0), as written in `cbc:CustomizationID`. */
  efff: '1.0',
  peppolBis2Invoice: 'urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol4a:ver2.0',
  peppolBis2CreditNote: 'urn:www.cenbii.eu:transaction:biitrns014:ver2.0:extended:urn:www.peppol.eu:bis:peppol5a:ver2.0',
} as const;

export const PEPPOL_BILLING_PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

export const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  ext: 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2',
  sbdh: 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader',
} as const;
