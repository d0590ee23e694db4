/**
 * Billit's JSON as the public swagger defines it (PascalCase; every field optional, as the swagger declares
 * no required fields). Only the fields this app reads are listed; the rest pass through untyped.
 * Dates are ISO strings without an offset, e.g. "2025-04-25T16:22:25.457".
 */

export interface PageResult<T> {
  Items?: T[];
  NextPageLink?: string | null;
  Count?: number;
}

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

export interface BillitParty {
  PartyID?: number;
  PartyType?: 'Customer' | 'Supplier';
  Nr?: string;
  Name?: string;
  CommercialName?: string;
  DisplayName?: string;
  VATNumber?: string;
  PeppolIdentifier?: string;
  Email?: string;
  Phone?: string;
  Mobile?: string;
  Language?: string;
  Street?: string;
  StreetNumber?: string;
  Box?: string;
  Zipcode?: string;
  City?: string;
  CountryCode?: string;
  Addresses?: BillitAddress[];
  IBAN?: string;
  BIC?: string;
  BankAccounts?: BillitBankAccount[];
  Identifiers?: BillitIdentifier[];
  VATLiable?: boolean;
  VATDeductable?: boolean;
  ExternalProviderID?: string;
  ExternalProviderTC?: string;
  Contact?: string;
  ContactFirstName?: string;
  ContactLastName?: string;
  LastModified?: string;
  Created?: string;
  [key: string]: unknown;
}

export interface AccountInformationParty extends BillitParty {
  APIAllowed?: boolean;
  TabNameAlias?: string;
  UserLanguage?: string;
}

export interface AccountInformation {
  Email?: string;
  FirstName?: string;
  LastName?: string;
  LoginOrRegisterNeeded?: boolean;
  Companies?: AccountInformationParty[];
  UserCompanyRoles?: Array<{ PartyID?: number; UserRoleTypes?: string[] }>;
  [key: string]: unknown;
}

export interface BillitFileRef {
  FileID?: string;
  FileName?: string;
  MimeType?: string;
  FileContent?: string;
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

export interface BillitOrder {
  OrderID?: number;
  CompanyID?: number;
  OrderNumber?: string;
  OrderType?: string;
  OrderDirection?: OrderDirection | string;
  OrderDate?: string;
  ExpiryDate?: string;
  LastModified?: string;
  Created?: string;
  CustomerID?: number;
  SupplierID?: number;
  CounterPartyID?: number;
  Customer?: BillitParty;
  Supplier?: BillitParty;
  CounterParty?: BillitParty;
  Currency?: string;
  TotalExcl?: number;
  TotalVAT?: number;
  TotalIncl?: number;
  ToPay?: number;
  Paid?: boolean;
  PaidDate?: string;
  PaymentReference?: string;
  OrderStatus?: string;
  ExportedToConnector?: boolean;
  ExternalProvider?: string;
  OrderPDF?: BillitFileRef;
  Attachments?: BillitFileRef[];
  OrderLines?: BillitOrderLine[];
  [key: string]: unknown;
}

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

export interface RegisterAccountResponse {
  CompanyID?: number;
  /** A credential: never logged (the client registers it with redact()). */
  APIKey?: string;
  Users?: Array<{ UserID?: number; ExternalProviderID?: string }>;
  BankAccounts?: Array<{ BankAccountID?: number; IBAN?: string; BankAccountName?: string; Active?: boolean }>;
}

export interface Feed {
  Name?: string;
}

export interface FeedItem {
  FeedItemID: number;
  EntityID: number;
  /** 'Order' | 'Document' per the swagger; the simulator also models 'CODA' for bank statements. */
  EntityType: string;
  /** The company the entity belongs to. */
  PartyID: number;
}

export interface FileDetails {
  FileName?: string;
  FileContent?: string;
  FileContentSHA256Hash?: string;
}

export interface BillitDocument {
  DocumentID?: number;
  CompanyID?: number;
  Name?: string;
  Description?: string;
  DocumentDate?: string;
  CreationDate?: string;
  File?: BillitFileRef;
  Tags?: string[];
}

export interface CompanySearchItem {
  Source?: string;
  CompanyIdentification?: string;
  Name?: string;
  CommercialName?: string;
  Street?: string;
  Number?: string;
  Box?: string;
  Zipcode?: string;
  City?: string;
  Country?: string;
  StartDate?: string;
}

export interface ParticipantInformation {
  Registered?: boolean;
  Identifier?: string;
  DocumentTypes?: string[];
  ServiceDetails?: unknown[];
  ServiceProviderID?: string;
  ServiceProviderName?: string;
}

/** A file downloaded and decoded. */
export interface DownloadedFile {
  fileId?: string;
  fileName: string;
  mimeType?: string;
  bytes: Uint8Array;
}
