/**
 * Writes a `UblDocument` as Peppol BIS Billing 3.0 XML (UBL 2.1 `Invoice` or `CreditNote`), elements in
 * schema order. Embedded attachments become base64 `cbc:EmbeddedDocumentBinaryObject`.
 *
 * Defaults filled in when the model leaves them out: CustomizationID and ProfileID (BIS 3.0), type code
 * (380 / 381), unit code `C62`, the party's `cbc:EndpointID` and legal `cbc:CompanyID` (scheme 0208) from its
 * enterprise number, and the party's registration name from its name. A credit note's due date is written as
 * `cac:PaymentMeans/cbc:PaymentDueDate` of the first payment means (UBL 2.1 credit notes have no `cbc:DueDate`);
 * the project reference is written on invoices only.
 */
import { encodeBase64 } from './base64';
import {
  CUSTOMIZATION,
  NS,
  PEPPOL_BILLING_PROFILE,
  type UblAllowanceCharge,
  type UblDocument,
  type UblIdentifier,
  type UblLine,
  type UblParty,
} from './model';

export function escapeXml(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === 38) rep = '&amp;';
    else if (c === 60) rep = '&lt;';
    else if (c === 62) rep = '&gt;';
    else if (c === 34) rep = '&quot;';
    else if (c === 39) rep = '&apos;';
    else if (c === 13) rep = '&#13;';
    else if (c < 32 && c !== 9 && c !== 10) rep = ''; // not allowed in XML 1.0
    if (rep !== undefined) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

class Xml {
  private readonly parts: string[] = [];
  private depth = 0;

  open(name: string, attrs?: Record<string, string | undefined>): this {
    this.parts.push('  '.repeat(this.depth) + '<' + name + attrString(attrs) + '>\n');
    this.depth++;
    return this;
  }

  close(name: string): this {
    this.depth--;
    this.parts.push('  '.repeat(this.depth) + '</' + name + '>\n');
    return this;
  }

  /** A leaf element; skipped when the value is undefined. Empty strings are written (the element exists). */
  leaf(name: string, value: string | undefined, attrs?: Record<string, string | undefined>): this {
    if (value === undefined) return this;
    this.parts.push('  '.repeat(this.depth) + '<' + name + attrString(attrs) + '>' + escapeXml(value) + '</' + name + '>\n');
    return this;
  }

  raw(text: string): this {
    this.parts.push(text);
    return this;
  }

  toString(): string {
    return this.parts.join('');
  }
}

function attrString(attrs?: Record<string, string | undefined>): string {
  if (!attrs) return '';
  let s = '';
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) s += ` ${k}="${escapeXml(v)}"`;
  return s;
}

export function writeUbl(doc: UblDocument): string {
  const isCn = doc.kind === 'credit-note';
  const root = isCn ? 'CreditNote' : 'Invoice';
  const cur = { currencyID: doc.currency };
  const x = new Xml();
  x.raw('<?xml version="1.0" encoding="UTF-8"?>\n');
  x.open(root, { xmlns: isCn ? NS.creditNote : NS.invoice, 'xmlns:cac': NS.cac, 'xmlns:cbc': NS.cbc });
  if (doc.ublVersion) x.leaf('cbc:UBLVersionID', doc.ublVersion);
  x.leaf('cbc:CustomizationID', doc.customizationId || CUSTOMIZATION.peppolBis3);
  x.leaf('cbc:ProfileID', doc.profileId ?? PEPPOL_BILLING_PROFILE);
  x.leaf('cbc:ID', doc.number);
  x.leaf('cbc:IssueDate', doc.issueDate);
  if (!isCn) x.leaf('cbc:DueDate', doc.dueDate);
  x.leaf(isCn ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', doc.typeCode || (isCn ? '381' : '380'));
  for (const n of doc.notes) x.leaf('cbc:Note', n);
  x.leaf('cbc:DocumentCurrencyCode', doc.currency);
  x.leaf('cbc:TaxCurrencyCode', doc.taxCurrency);
  x.leaf('cbc:AccountingCost', doc.accountingCost);
  x.leaf('cbc:BuyerReference', doc.buyerReference);
  writePeriod(x, doc.invoicePeriod, 'cac:InvoicePeriod');

  const refs = doc.references;
  if (refs.order !== undefined || refs.salesOrder !== undefined) {
    x.open('cac:OrderReference').leaf('cbc:ID', refs.order ?? 'NA').leaf('cbc:SalesOrderID', refs.salesOrder).close('cac:OrderReference');
  }
  for (const inv of refs.invoices) {
    x.open('cac:BillingReference').open('cac:InvoiceDocumentReference');
    x.leaf('cbc:ID', inv.id).leaf('cbc:IssueDate', inv.issueDate);
    x.close('cac:InvoiceDocumentReference').close('cac:BillingReference');
  }
  const idRef = (name: string, id: string | undefined) => {
    if (id !== undefined) x.open(name).leaf('cbc:ID', id).close(name);
  };
  idRef('cac:DespatchDocumentReference', refs.despatch);
  idRef('cac:ReceiptDocumentReference', refs.receipt);
  if (!isCn) idRef('cac:OriginatorDocumentReference', refs.originator);
  idRef('cac:ContractDocumentReference', refs.contract);
  if (refs.invoicedObject !== undefined) {
    x.open('cac:AdditionalDocumentReference').leaf('cbc:ID', refs.invoicedObject).leaf('cbc:DocumentTypeCode', '130').close('cac:AdditionalDocumentReference');
  }
  for (const a of doc.attachments) {
    x.open('cac:AdditionalDocumentReference');
    x.leaf('cbc:ID', a.id);
    x.leaf('cbc:DocumentTypeCode', a.documentTypeCode);
    x.leaf('cbc:DocumentDescription', a.description);
    if (a.content !== undefined || a.uri !== undefined) {
      x.open('cac:Attachment');
      if (a.content !== undefined) {
        x.leaf('cbc:EmbeddedDocumentBinaryObject', encodeBase64(a.content), {
          mimeCode: a.mimeType ?? 'application/octet-stream',
          filename: a.filename,
        });
      }
      if (a.uri !== undefined) x.open('cac:ExternalReference').leaf('cbc:URI', a.uri).close('cac:ExternalReference');
      x.close('cac:Attachment');
    }
    x.close('cac:AdditionalDocumentReference');
  }
  if (isCn) idRef('cac:OriginatorDocumentReference', refs.originator);
  else idRef('cac:ProjectReference', refs.project);

  x.open('cac:AccountingSupplierParty');
  writeParty(x, doc.seller);
  x.close('cac:AccountingSupplierParty');
  x.open('cac:AccountingCustomerParty');
  writeParty(x, doc.buyer);
  x.close('cac:AccountingCustomerParty');
  if (doc.payee) {
    x.open('cac:PayeeParty');
    writePartyBody(x, doc.payee, true);
    x.close('cac:PayeeParty');
  }
  if (doc.deliveryDate !== undefined) x.open('cac:Delivery').leaf('cbc:ActualDeliveryDate', doc.deliveryDate).close('cac:Delivery');

  doc.paymentMeans.forEach((pm, i) => {
    x.open('cac:PaymentMeans');
    x.leaf('cbc:PaymentMeansCode', pm.code);
    if (isCn && i === 0) x.leaf('cbc:PaymentDueDate', doc.dueDate);
    x.leaf('cbc:PaymentID', pm.paymentId ?? (pm.structuredCommunication ? formatOgm(pm.structuredCommunication) : undefined));
    if (pm.account !== undefined || pm.accountName !== undefined || pm.bic !== undefined) {
      x.open('cac:PayeeFinancialAccount');
      x.leaf('cbc:ID', pm.account ?? '');
      x.leaf('cbc:Name', pm.accountName);
      if (pm.bic !== undefined) x.open('cac:FinancialInstitutionBranch').leaf('cbc:ID', pm.bic).close('cac:FinancialInstitutionBranch');
      x.close('cac:PayeeFinancialAccount');
    }
    if (pm.mandateId !== undefined) x.open('cac:PaymentMandate').leaf('cbc:ID', pm.mandateId).close('cac:PaymentMandate');
    x.close('cac:PaymentMeans');
  });
  if (doc.paymentTerms !== undefined) x.open('cac:PaymentTerms').leaf('cbc:Note', doc.paymentTerms).close('cac:PaymentTerms');

  for (const ac of doc.allowanceCharges) writeAllowanceCharge(x, ac, doc.currency, true);

  x.open('cac:TaxTotal');
  x.leaf('cbc:TaxAmount', doc.totals.vatTotal, cur);
  for (const st of doc.vatBreakdown) {
    x.open('cac:TaxSubtotal');
    x.leaf('cbc:TaxableAmount', st.taxableAmount, cur);
    x.leaf('cbc:TaxAmount', st.taxAmount, cur);
    x.open('cac:TaxCategory');
    x.leaf('cbc:ID', st.category);
    x.leaf('cbc:Percent', st.rate);
    x.leaf('cbc:TaxExemptionReasonCode', st.exemptionReasonCode);
    x.leaf('cbc:TaxExemptionReason', st.exemptionReason);
    vatScheme(x);
    x.close('cac:TaxCategory');
    x.close('cac:TaxSubtotal');
  }
  x.close('cac:TaxTotal');
  if (doc.taxCurrency && doc.totals.vatTotalInTaxCurrency !== undefined) {
    x.open('cac:TaxTotal').leaf('cbc:TaxAmount', doc.totals.vatTotalInTaxCurrency, { currencyID: doc.taxCurrency }).close('cac:TaxTotal');
  }

  const t = doc.totals;
  x.open('cac:LegalMonetaryTotal');
  x.leaf('cbc:LineExtensionAmount', t.lineExtension, cur);
  x.leaf('cbc:TaxExclusiveAmount', t.taxExclusive, cur);
  x.leaf('cbc:TaxInclusiveAmount', t.taxInclusive, cur);
  x.leaf('cbc:AllowanceTotalAmount', t.allowanceTotal, cur);
  x.leaf('cbc:ChargeTotalAmount', t.chargeTotal, cur);
  x.leaf('cbc:PrepaidAmount', t.prepaid, cur);
  x.leaf('cbc:PayableRoundingAmount', t.rounding, cur);
  x.leaf('cbc:PayableAmount', t.payable, cur);
  x.close('cac:LegalMonetaryTotal');

  for (const line of doc.lines) writeLine(x, line, doc.currency, isCn);
  x.close(root);
  return x.toString();
}

function formatOgm(digits: string): string {
  return `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
}

function vatScheme(x: Xml) {
  x.open('cac:TaxScheme').leaf('cbc:ID', 'VAT').close('cac:TaxScheme');
}

function writePeriod(x: Xml, p: { start?: string; end?: string } | undefined, name: string) {
  if (!p || (p.start === undefined && p.end === undefined)) return;
  x.open(name).leaf('cbc:StartDate', p.start).leaf('cbc:EndDate', p.end).close(name);
}

function idAttrs(id: UblIdentifier | undefined) {
  return id?.scheme !== undefined ? { schemeID: id.scheme } : undefined;
}

function writeParty(x: Xml, p: UblParty) {
  x.open('cac:Party');
  writePartyBody(x, p, false);
  x.close('cac:Party');
}

/** Body of `cac:Party` (or of `cac:PayeeParty`, which has no address, tax scheme or contact in BIS 3.0). */
function writePartyBody(x: Xml, p: UblParty, payee: boolean) {
  const endpoint = p.endpoint ?? (p.enterpriseNumber ? { id: p.enterpriseNumber, scheme: '0208' } : undefined);
  if (!payee && endpoint) x.leaf('cbc:EndpointID', endpoint.id, idAttrs(endpoint));
  for (const id of p.identifiers) x.open('cac:PartyIdentification').leaf('cbc:ID', id.id, idAttrs(id)).close('cac:PartyIdentification');
  if (p.name) x.open('cac:PartyName').leaf('cbc:Name', p.name).close('cac:PartyName');
  const a = p.address;
  if (!payee && a) {
    x.open('cac:PostalAddress');
    x.leaf('cbc:StreetName', a.street);
    x.leaf('cbc:AdditionalStreetName', a.additionalStreet);
    x.leaf('cbc:CityName', a.city);
    x.leaf('cbc:PostalZone', a.postalCode);
    x.leaf('cbc:CountrySubentity', a.countrySubentity);
    if (a.addressLine !== undefined) x.open('cac:AddressLine').leaf('cbc:Line', a.addressLine).close('cac:AddressLine');
    if (a.country !== undefined) x.open('cac:Country').leaf('cbc:IdentificationCode', a.country).close('cac:Country');
    x.close('cac:PostalAddress');
  }
  if (!payee && p.vatNumber) {
    x.open('cac:PartyTaxScheme').leaf('cbc:CompanyID', p.vatNumber);
    vatScheme(x);
    x.close('cac:PartyTaxScheme');
  }
  const legalId = p.legalId ?? (p.enterpriseNumber ? { id: p.enterpriseNumber, scheme: '0208' } : undefined);
  const registrationName = p.registrationName ?? (p.name || undefined);
  if (registrationName !== undefined || legalId) {
    x.open('cac:PartyLegalEntity');
    if (!payee) x.leaf('cbc:RegistrationName', registrationName ?? '');
    if (legalId) x.leaf('cbc:CompanyID', legalId.id, idAttrs(legalId));
    x.close('cac:PartyLegalEntity');
  }
  const c = p.contact;
  if (!payee && c && (c.name !== undefined || c.phone !== undefined || c.email !== undefined)) {
    x.open('cac:Contact').leaf('cbc:Name', c.name).leaf('cbc:Telephone', c.phone).leaf('cbc:ElectronicMail', c.email).close('cac:Contact');
  }
}

function writeAllowanceCharge(x: Xml, ac: UblAllowanceCharge, currency: string, documentLevel: boolean) {
  const cur = { currencyID: currency };
  x.open('cac:AllowanceCharge');
  x.leaf('cbc:ChargeIndicator', ac.isCharge ? 'true' : 'false');
  x.leaf('cbc:AllowanceChargeReasonCode', ac.reasonCode);
  x.leaf('cbc:AllowanceChargeReason', ac.reason);
  x.leaf('cbc:MultiplierFactorNumeric', ac.percent);
  x.leaf('cbc:Amount', ac.amount, cur);
  x.leaf('cbc:BaseAmount', ac.baseAmount, cur);
  if (documentLevel && ac.vatCategory !== undefined) {
    x.open('cac:TaxCategory').leaf('cbc:ID', ac.vatCategory).leaf('cbc:Percent', ac.vatRate);
    vatScheme(x);
    x.close('cac:TaxCategory');
  }
  x.close('cac:AllowanceCharge');
}

function writeLine(x: Xml, l: UblLine, currency: string, isCn: boolean) {
  const name = isCn ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const cur = { currencyID: currency };
  const unit = { unitCode: l.unitCode ?? 'C62' };
  x.open(name);
  x.leaf('cbc:ID', l.id);
  x.leaf('cbc:Note', l.note);
  x.leaf(isCn ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', l.quantity, unit);
  x.leaf('cbc:LineExtensionAmount', l.lineExtensionAmount, cur);
  x.leaf('cbc:AccountingCost', l.accountingCost);
  writePeriod(x, l.period, 'cac:InvoicePeriod');
  if (l.orderLineReference !== undefined) x.open('cac:OrderLineReference').leaf('cbc:LineID', l.orderLineReference).close('cac:OrderLineReference');
  for (const ac of l.allowanceCharges) writeAllowanceCharge(x, ac, currency, false);
  x.open('cac:Item');
  x.leaf('cbc:Description', l.description);
  x.leaf('cbc:Name', l.name);
  if (l.buyersItemId !== undefined) x.open('cac:BuyersItemIdentification').leaf('cbc:ID', l.buyersItemId).close('cac:BuyersItemIdentification');
  if (l.sellersItemId !== undefined) x.open('cac:SellersItemIdentification').leaf('cbc:ID', l.sellersItemId).close('cac:SellersItemIdentification');
  if (l.standardItemId !== undefined) {
    x.open('cac:StandardItemIdentification').leaf('cbc:ID', l.standardItemId.id, idAttrs(l.standardItemId)).close('cac:StandardItemIdentification');
  }
  x.open('cac:ClassifiedTaxCategory').leaf('cbc:ID', l.vatCategory).leaf('cbc:Percent', l.vatRate);
  vatScheme(x);
  x.close('cac:ClassifiedTaxCategory');
  x.close('cac:Item');
  x.open('cac:Price');
  x.leaf('cbc:PriceAmount', l.price, cur);
  x.leaf('cbc:BaseQuantity', l.baseQuantity, l.baseQuantity !== undefined ? unit : undefined);
  x.close('cac:Price');
  x.close(name);
}
