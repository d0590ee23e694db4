/**
 * Billit's JSON as the app reads it. What Billit sends is typed by the schemas that check it
 * (`./schemas`, written from the public swagger): every field there is optional and may be null, except
 * what the app cannot do without. The request bodies below are the app's own.
 * Dates are ISO strings without an offset, e.g. "2025-04-25T16:22:25.457".
 */
import type * as z from 'zod/mini';
import type * as schemas from './schemas';

export type PageResult<T> = { Items: T[]; NextPageLink?: string | null; Count?: number | null };

export type BillitFileRef = z.output<typeof schemas.fileRef>;
export type BillitParty = z.output<typeof schemas.party>;
export type AccountInformationParty = z.output<typeof schemas.accountInformationParty>;
export type AccountInformation = z.output<typeof schemas.accountInformation>;
export type RegisterAccountResponse = z.output<typeof schemas.registerAccountResponse>;
export type BillitOrder = z.output<typeof schemas.order>;
export type BillitDocument = z.output<typeof schemas.documentView>;
export type Feed = z.output<typeof schemas.feed>;
/** 'Order' | 'Document' per the swagger; the simulator also models 'CODA' for bank statements. */
export type FeedItem = z.output<typeof schemas.feedItem>;
export type FileDetails = z.output<typeof schemas.fileDetails>;
export type CompanySearchItem = z.output<typeof schemas.companySearchItem>;
export type ParticipantInformation = z.output<typeof schemas.participantInformation>;

export interface BillitAddress {
  AddressType?: string;
  Name?: string;
  Street?: string;
  StreetNumber?: string;
  Box?: string;
  Zipcode?: string;
  City?: string;
  CountryCode?: string;
  Phone?: string;
}

export interface BillitIdentifier {
  IdentifierType?: string;
  Identifier?: string;
  SchemeID?: string;
  Preferred?: boolean;
}

export interface BillitBankAccount {
  IBAN?: string;
  BIC?: string;
  Currency?: string;
  Active?: boolean;
  [key: string]: unknown;
}

export interface BillitOrderLine {
  Quantity?: number;
  UnitPriceExcl?: number;
  Description?: string;
  VATPercentage?: number;
  TotalExcl?: number;
  TotalVAT?: number;
  TotalIncl?: number;
  [key: string]: unknown;
}

export type OrderDirection = 'Income' | 'Cost';

export interface RegisterCompanyRequest {
  Company: BillitParty & { Name: string; Email: string; Phone: string; VATNumber: string };
  AccountSettings?: {
    BulkInputFastForward?: boolean;
    SendPeppolInvoiceReceivedMail?: boolean;
    BulkInputIncomeUBLFastForward?: boolean;
    ProcessUBLPrePaidAmount?: boolean;
    ExternalLicenseID?: string;
  };
  License?: { LicenseID?: number; PeriodID?: number; Addons?: { AmountOfExtraUsers?: number; AmountOfExtraDocuments?: number } };
}

/** A file downloaded and decoded. */
export interface DownloadedFile {
  fileId?: string;
  fileName: string;
  mimeType?: string;
  bytes: Uint8Array;
}
