import type { BillitSimState, SimCompany, SimFile, SimOrder, SimParty, SimDocument } from './state';
import { companiesOfUser } from './state';

/** JSON as Billit writes it: PascalCase, dates as ISO without an offset, absent values left out. */

export const fmtDate = (d: Date | undefined): string | undefined => (d ? d.toISOString().replace(/Z$/, '') : undefined);

const round2 = (n: number) => Math.round(n * 100) / 100;

export function companyJson(c: SimCompany): Record<string, unknown> {
  return {
    PartyID: c.partyId,
    Name: c.name,
    CommercialName: c.commercialName,
    DisplayName: c.commercialName ?? c.name,
    VATNumber: c.vatNumber,
    Email: c.email,
    Phone: c.phone,
    Language: c.language,
    UserLanguage: c.language,
    Street: c.address.street,
    StreetNumber: c.address.streetNumber,
    Box: c.address.box,
    Zipcode: c.address.zipcode,
    City: c.address.city,
    CountryCode: c.address.countryCode,
    Addresses: [addressJson('InvoiceAddress', c.name, c.address)],
    IBAN: c.iban,
    BIC: c.bic,
    BankAccounts: c.iban ? [{ IBAN: c.iban, BIC: c.bic, Currency: 'EUR', Active: true }] : [],
    Identifiers: [],
    Users: [],
    Role: c.isOffice ? 'Accountant' : 'Professional',
    DefaultCurrencyTC: 'EUR',
    SendUBL: true,
    SendPDF: true,
    VATLiable: true,
    VATDeductable: true,
    APIAllowed: true,
    Created: fmtDate(c.created),
    LastModified: fmtDate(c.lastModified),
  };
}

function addressJson(type: string, name: string, a: SimParty['address'] & object): Record<string, unknown> {
  return {
    AddressType: type,
    Name: name,
    Street: a.street,
    StreetNumber: a.streetNumber,
    Box: a.box,
    Zipcode: a.zipcode,
    City: a.city,
    CountryCode: a.countryCode,
  };
}

export function accountInformationJson(state: BillitSimState, userId: number): Record<string, unknown> {
  const user = state.users.get(userId)!;
  const companies = companiesOfUser(state, userId);
  return {
    Email: user.email,
    FirstName: user.firstName,
    LastName: user.lastName,
    LoginOrRegisterNeeded: false,
    Companies: companies.map(companyJson),
    UserCompanyRoles: companies.map((c) => ({
      PartyID: c.partyId,
      // Role names are not enumerated publicly: modelled.
      UserRoleTypes: c.isOffice ? ['Admin', 'Accountant'] : user.kind === 'office' ? ['Accountant'] : ['Admin'],
    })),
  };
}

export function partyJson(p: SimParty): Record<string, unknown> {
  const base: Record<string, unknown> = {
    ...p.extra,
    PartyID: p.partyId,
    PartyType: p.partyType,
    Nr: p.nr,
    Name: p.name,
    DisplayName: p.name,
    VATNumber: p.vatNumber,
    Email: p.email,
    Phone: p.phone,
    Language: p.language,
    IBAN: p.iban,
    BIC: p.bic,
    Created: fmtDate(p.created),
    LastModified: fmtDate(p.lastModified),
  };
  if (p.address) {
    Object.assign(base, {
      Street: p.address.street,
      StreetNumber: p.address.streetNumber,
      Box: p.address.box,
      Zipcode: p.address.zipcode,
      City: p.address.city,
      CountryCode: p.address.countryCode,
      Addresses: [addressJson('InvoiceAddress', p.name, p.address)],
    });
  }
  if (p.vatNumber && /^BE/i.test(p.vatNumber)) {
    base.Identifiers = [{ IdentifierType: 'CBE', Identifier: p.vatNumber.replace(/^BE/i, ''), SchemeID: '0208', Preferred: true }];
  }
  return base;
}

export function fileRefJson(f: SimFile, full: boolean): Record<string, unknown> {
  return full ? { FileID: f.fileId, FileName: f.fileName, MimeType: f.mimeType } : { FileID: f.fileId };
}

export function fileJson(f: SimFile): Record<string, unknown> {
  return { FileID: f.fileId, FileName: f.fileName, MimeType: f.mimeType, FileContent: base64(f.bytes) };
}

/** Base64 of bytes, read in place (`Buffer.from(bytes)` would copy them first). */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** List items are summaries (no lines, OrderPDF with only its FileID); the detail has everything. */
export function orderJson(state: BillitSimState, o: SimOrder, detail: boolean): Record<string, unknown> {
  const party = state.parties.get(o.counterPartyId);
  const partyView = party ? partyJson(party) : undefined;
  const income = o.direction === 'Income';
  const json: Record<string, unknown> = {
    OrderID: o.orderId,
    CompanyID: o.companyId,
    OrderNumber: o.orderNumber,
    OrderType: o.orderType,
    OrderDirection: o.direction,
    OrderDate: fmtDate(o.orderDate),
    ExpiryDate: fmtDate(o.expiryDate),
    Created: fmtDate(o.created),
    LastModified: fmtDate(o.lastModified),
    CounterPartyID: o.counterPartyId,
    CustomerID: income ? o.counterPartyId : undefined,
    SupplierID: income ? undefined : o.counterPartyId,
    Currency: o.currency,
    TotalExcl: o.totalExcl,
    TotalVAT: o.totalVat,
    TotalIncl: o.totalIncl,
    ToPay: o.paid ? 0 : o.totalIncl,
    Paid: o.paid,
    PaidDate: fmtDate(o.paidDate),
    PaymentReference: o.paymentReference,
    OrderStatus: o.paid ? 'Paid' : 'ToPay',
    IsSent: income,
    ExportedToConnector: o.exportedToConnector,
    AccountantVerificationNeeded: false,
    ExternalProvider: !income && o.attachments.some((a) => a.mimeType === 'text/xml') ? 'Peppol' : undefined,
    OrderPDF: o.pdf ? fileRefJson(o.pdf, detail) : undefined,
  };
  if (!detail) {
    json.CounterParty = party ? { PartyID: party.partyId, Name: party.name, VATNumber: party.vatNumber } : undefined;
    return json;
  }
  const rates = new Map<number, { excl: number }>();
  for (const l of o.lines) {
    const g = rates.get(l.vatPercentage) ?? { excl: 0 };
    g.excl = round2(g.excl + l.quantity * l.unitPriceExcl);
    rates.set(l.vatPercentage, g);
  }
  Object.assign(json, {
    Customer: income ? partyView : undefined,
    Supplier: income ? undefined : partyView,
    CounterParty: partyView,
    Attachments: o.attachments.map((a) => fileRefJson(a, true)),
    OrderLines: o.lines.map((l, i) => {
      const excl = round2(l.quantity * l.unitPriceExcl);
      const vat = round2((excl * l.vatPercentage) / 100);
      return {
        OrderLineID: o.orderId * 100 + i + 1,
        Quantity: l.quantity,
        UnitPriceExcl: l.unitPriceExcl,
        Description: l.description,
        VATPercentage: l.vatPercentage,
        TotalExcl: excl,
        TotalVAT: vat,
        TotalIncl: round2(excl + vat),
      };
    }),
    VatGroups: [...rates].map(([rate, g]) => {
      const vat = round2((g.excl * rate) / 100);
      return { VATPercentage: rate, TotalExcl: g.excl, TotalVAT: vat, TotalIncl: round2(g.excl + vat) };
    }),
    CurrentDocumentDeliveryDetails: { IsDocumentDelivered: true, DocumentDeliveryStatus: 'Delivered' },
    Messages: [],
  });
  return json;
}

export function deletedOrderJson(o: SimOrder): Record<string, unknown> {
  return {
    OrderID: o.orderId,
    CompanyID: o.companyId,
    OrderNumber: o.orderNumber,
    OrderType: o.orderType,
    OrderDirection: o.direction,
    LastModified: fmtDate(o.lastModified),
  };
}

export function documentJson(d: SimDocument, withContent: boolean): Record<string, unknown> {
  return {
    DocumentID: d.documentId,
    CompanyID: d.companyId,
    Name: d.name,
    Description: d.description,
    DocumentDate: fmtDate(d.documentDate),
    CreationDate: fmtDate(d.created),
    File: withContent ? fileJson(d.file) : fileRefJson(d.file, true),
    Tags: [],
  };
}

/** The orders' fields Billit lets `$filter`/`$orderby` use (docs, 17/03/2026). */
export const ORDER_FILTERABLE = new Set([
  'OrderID',
  'CounterParty/PartyID',
  'CompanyID',
  'OrderDirection',
  'OrderType',
  'OrderDate',
  'OrderNumber',
  'ExpiryDate',
  'ExportedToConnector',
  'AccountantVerificationNeeded',
  'TotalExcl',
  'TotalVAT',
  'TotalIncl',
  'FXRateToForeign',
  'Paid',
  'OrderStatus',
  'ExternalProviderID',
  'Currency',
  'PaymentReference',
  'LastModified',
  'Created',
  'ApprovalStatus',
  'PaidDate',
  'PaymentMethod',
  'Reference',
  'RemindersSent',
  'ExternalProvider',
  'IsSent',
]);
