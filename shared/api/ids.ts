/**
 * Ids that mean different things never pass for one another. Each is a plain number or string on the wire
 * and in the cache; the brand lives only in the type, so handing a document's id to a call that wants a
 * run's, or Venice's dossier id where the cache's row id belongs, is a compile error. Values get their brand
 * where they enter: the cache's row readers, the API's input schemas, the clients' replies.
 */
type Brand<T, B extends string> = T & { readonly __brand: B };

/** Venice Cloud's id of a dossier: the dossier's key in the API and the UI. */
export type VeniceDossierId = Brand<string, 'VeniceDossierId'>;
/** The cache's row id of a dossier: what its documents, statements and parties point to. */
export type DossierId = Brand<number, 'DossierId'>;
/** Billit's PartyID: a company the office keeps, or one of its customers and suppliers. */
export type BillitPartyId = Brand<number, 'BillitPartyId'>;
/** The cache's row id of a sales or purchase document. */
export type DocumentId = Brand<number, 'DocumentId'>;
/** The cache's row id of a bank statement. */
export type StatementId = Brand<number, 'StatementId'>;
/** The cache's id of a sync run; the API carries it as its decimal text. */
export type RunId = Brand<number, 'RunId'>;

export const asVeniceDossierId = (id: string) => id as VeniceDossierId;
export const asDossierId = (id: number) => id as DossierId;
export const asBillitPartyId = (id: number) => id as BillitPartyId;
export const asDocumentId = (id: number) => id as DocumentId;
export const asStatementId = (id: number) => id as StatementId;
export const asRunId = (id: number) => id as RunId;

/** A whole number written in decimal, as the API and the cache's text columns carry ids; null otherwise. */
function decimal(text: string | null | undefined): number | null {
  return text != null && /^\d+$/.test(text) ? Number(text) : null;
}

/** Billit's PartyID from its stored text; null when there is none. */
export const parseBillitPartyId = (text: string | null | undefined): BillitPartyId | null => {
  const n = decimal(text);
  return n === null ? null : asBillitPartyId(n);
};
export const parseRunId = (text: string): RunId | null => {
  const n = decimal(text);
  return n === null ? null : asRunId(n);
};
export const parseDocumentId = (text: string): DocumentId | null => {
  const n = decimal(text);
  return n === null ? null : asDocumentId(n);
};
export const parseStatementId = (text: string): StatementId | null => {
  const n = decimal(text);
  return n === null ? null : asStatementId(n);
};
