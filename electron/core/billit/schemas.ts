/**
 * Billit's replies as zod schemas, written from the public swagger's definitions (Swagger 2.0, 2026-04):
 * each schema below names its definition (`swaggerDefinitions`), and a test checks every field against it —
 * the name exists there, with the same type.
 *
 * The swagger declares no required field and Billit sends `null` for what is absent, so fields are
 * `nullish`, except what the app cannot do without (an id, a file's content, the Items of a page): those
 * are required, so a reply nested one level too deep or missing them is refused instead of read as empty.
 * Entities are loose objects: the fields listed are checked, the many others pass through unread. Where a
 * reply is big and only a few fields are used (a page of orders for the sync, a first feed of 250,000
 * items), only those are listed.
 *
 * The portal's modelled steps and the OAuth token have no swagger definition: their schemas follow the
 * reference and the simulator (`portalReplies`, `tokenReply`).
 */
// zod's mini build: the same checks, a fraction of the code in every sync worker thread's bundle.
import * as z from 'zod/mini';

const int = z.int();
const text = z.nullish(z.string());
const number = z.nullish(z.number());
const flag = z.nullish(z.boolean());
const integer = z.nullish(int);

/** File: a file reference on an order, or a downloaded file with its base64 content. */
export const fileRef = z.looseObject({ FileID: text, FileName: text, MimeType: text, FileContent: text });
/** GET /v1/files/{fileID}: the content is what the call is for. */
export const downloadedFile = z.extend(fileRef, { FileContent: z.string() });

const partyFields = {
  PartyID: integer,
  PartyType: z.nullish(z.enum(['Customer', 'Supplier'])),
  Nr: text,
  Name: text,
  CommercialName: text,
  DisplayName: text,
  VATNumber: text,
  PeppolIdentifier: text,
  Email: text,
  Phone: text,
  Mobile: text,
  Language: text,
  Street: text,
  StreetNumber: text,
  Box: text,
  Zipcode: text,
  City: text,
  CountryCode: text,
  IBAN: text,
  BIC: text,
  VATLiable: flag,
  VATDeductable: flag,
  ExternalProviderID: text,
  ExternalProviderTC: text,
  Contact: text,
  ContactFirstName: text,
  ContactLastName: text,
  LastModified: text,
  Created: text,
};

/** Party, as sent and as read. */
export const party = z.looseObject(partyFields);
/** Party in a list or by id: it must say which party it is. */
export const listedParty = z.extend(party, { PartyID: int });

export const accountInformationParty = z.looseObject({ ...partyFields, PartyID: int, APIAllowed: flag, TabNameAlias: text, UserLanguage: text });

export const accountInformation = z.looseObject({
  Email: text,
  FirstName: text,
  LastName: text,
  LoginOrRegisterNeeded: flag,
  // Every user has a company: a reply without the list is not this reply.
  Companies: z.array(accountInformationParty),
  UserCompanyRoles: z.nullish(z.array(z.looseObject({ PartyID: integer, UserRoleTypes: z.nullish(z.array(z.string())) }))),
});

export const registerAccountResponse = z.looseObject({
  CompanyID: int,
  APIKey: text,
  Users: z.nullish(z.array(z.looseObject({ UserID: integer, ExternalProviderID: text }))),
  BankAccounts: z.nullish(z.array(z.looseObject({ BankAccountID: integer, IBAN: text, BankAccountName: text, Active: flag }))),
});

/** Order: what the app reads of one (the detail the sync stores, the list's summaries). */
export const order = z.looseObject({
  OrderID: int,
  CompanyID: integer,
  OrderNumber: text,
  OrderType: text,
  OrderDirection: text,
  OrderDate: text,
  ExpiryDate: text,
  LastModified: text,
  Created: text,
  CustomerID: integer,
  SupplierID: integer,
  CounterPartyID: integer,
  Currency: text,
  TotalExcl: number,
  TotalVAT: number,
  TotalIncl: number,
  ToPay: number,
  Paid: flag,
  PaidDate: text,
  PaymentReference: text,
  OrderStatus: text,
  ExportedToConnector: flag,
  ExternalProvider: text,
  OrderPDF: z.nullish(fileRef),
  Attachments: z.nullish(z.array(fileRef)),
});

/** The sync reads a page of orders only for where its cursor goes: the rest of each order is not parsed. */
export const orderKey = z.object({ OrderID: int, LastModified: text });

function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({ Items: z.array(item), NextPageLink: text, Count: integer });
}
export const partyPage = pageOf(listedParty);
export const orderPage = pageOf(order);
export const orderKeyPage = pageOf(orderKey);

export const documentView = z.looseObject({
  DocumentID: int,
  CompanyID: integer,
  Name: text,
  Description: text,
  DocumentDate: text,
  CreationDate: text,
  File: z.nullish(fileRef),
  Tags: z.nullish(z.array(z.string())),
});

export const feed = z.looseObject({ Name: text });
export const feeds = z.array(feed);

/** FeedItem: every field routes the item, so every one is required. */
export const feedItem = z.object({ FeedItemID: int, EntityID: int, EntityType: z.string(), PartyID: int });
export const feedItems = z.array(feedItem);

export const fileDetails = z.looseObject({ FileName: text, FileContent: z.string(), FileContentSHA256Hash: text });

export const companySearchItem = z.looseObject({
  Source: text,
  CompanyIdentification: text,
  Name: text,
  CommercialName: text,
  Street: text,
  Number: text,
  Box: text,
  Zipcode: text,
  City: text,
  Country: text,
  StartDate: text,
});
export const companySearchResult = z.looseObject({ Items: z.array(companySearchItem) });

export const participantInformation = z.looseObject({
  // The answer the call is for.
  Registered: z.boolean(),
  Identifier: text,
  DocumentTypes: z.nullish(z.array(z.string())),
  ServiceDetails: z.nullish(z.array(z.unknown())),
  ServiceProviderID: text,
  ServiceProviderName: text,
});

/** POST /v1/parties and POST /v1/orders answer the new (or matched) id alone. */
export const createdId = int;
/** A reply the app does not read (PATCH, confirm, feed creation): nothing of it is used, so any will do. */
export const unread = z.unknown();

/** Each schema above that mirrors a swagger definition, by that definition's name. */
export const swaggerDefinitions = {
  File: fileRef,
  Party: party,
  AccountInformationParty: accountInformationParty,
  AccountInformation: accountInformation,
  RegisterAccountResponse: registerAccountResponse,
  Order: order,
  PageResult_Party: partyPage,
  PageResult_Order: orderPage,
  DocumentAPIView: documentView,
  Feed: feed,
  FeedItem: feedItem,
  FileDetails: fileDetails,
  CompanySearchResultItem: companySearchItem,
  CompanySearchResult: companySearchResult,
  ParticipantInformationResponse: participantInformation,
} as const;

/** POST /OAuth2/token (the swagger says only "object"; the fields are the OAuth docs'). */
export const tokenReply = z.looseObject({ access_token: z.string(), refresh_token: z.string(), expires_in: number, token_type: text });

/** The portal steps modelled in `portal-unverified.ts` (no public API: the simulator's shapes). */
export const portalReplies = {
  company: z.looseObject({
    IsBillitCompany: z.boolean(),
    PartyID: integer,
    Name: text,
    LinkedToOffice: flag,
    LinkRequestID: integer,
    LinkRequestState: text,
    LoginActivated: flag,
  }),
  linkRequest: z.looseObject({ LinkRequestID: int, PartyID: int, EnterpriseNumber: text, State: z.string(), RequestedAt: text, DecidedAt: text }),
  loginDataSent: z.looseObject({ PartyID: int, SentTo: text, SentAt: text }),
};
