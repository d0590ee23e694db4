/**
 * Venice Cloud's replies as zod schemas: the WebConnect envelopes and OData pages (reference §2), and the
 * fields of the records the app reads (`./fields`). REST envelopes carry strings, OData typed values: a
 * field is a string, a number or a boolean, never an object or a list. The keys a record cannot do
 * without (a relation's SystemNumber, a dossier's id) are required, so a record nested one level too deep
 * or without them is refused instead of read as empty.
 */
import * as z from 'zod/mini';
import { fieldPath, parseReply, ReplyShapeError, type ReplyShapeDetails } from '../http/reply';
import { PLURAL } from './fields';

const value = z.nullish(z.union([z.string(), z.number(), z.boolean()]));
/** An integer, as OData types it or as a REST envelope spells it. */
const integer = z.union([z.int(), z.string().check(z.regex(/^\s*-?\d+\s*$/, 'expected a whole number'))]);

function fieldsOf(names: readonly string[], required: Record<string, z.ZodMiniType>) {
  return z.looseObject({ ...Object.fromEntries(names.map((n) => [n, value])), ...required });
}

const RELATION_TEXT = ['Name', 'LegalForm', 'VatNum', 'Street', 'PostalCode', 'City', 'CountryCode', 'Email', 'Phone', 'Language', 'Iban', 'Bic', 'Contact', 'SyncReference'];

/** A customer or supplier. */
export const relationFields = fieldsOf(RELATION_TEXT, { SystemNumber: integer, Number: z.nullish(integer), SubNumber: z.nullish(integer) });

/** A dossier of the office (modelled listing, `./dossiers-unverified`). */
export const dossierFields = fieldsOf(['Name', 'LegalForm', 'VatNum', 'Street', 'PostalCode', 'City', 'CountryCode', 'Email', 'Language', 'WebConnect'], {
  DossierId: z.union([z.string().check(z.trim(), z.minLength(1, 'expected a dossier id')), z.int()]),
});

/** `GET /{DossierId}/Dossier`: the documented properties. */
export const dossierProperties = fieldsOf(['Name', 'CabinetName', 'Directory', 'LastYear', 'Currency', 'Options'], {});

/** One page of an OData listing. */
export function odataPage<T extends z.ZodMiniType>(record: T) {
  return z.object({ value: z.array(record), '@odata.nextLink': z.nullish(z.string()) });
}

const object = z.record(z.string(), z.unknown());

function empty(node: Record<string, unknown>, at: string[], where: Pick<ReplyShapeDetails, 'service' | 'operation'>): [] {
  if (Object.keys(node).length === 0) return [];
  throw new ReplyShapeError({ ...where, field: fieldPath(at), problem: 'expected the records here' });
}
const envelope = z.object({ Response: object });

function findKey(node: Record<string, unknown>, name: string): string | undefined {
  if (name in node) return name;
  const lower = name.toLowerCase();
  return Object.keys(node).find((k) => k.toLowerCase() === lower);
}

/**
 * The records of a `{"Response":{"<Plural>":{"<Object>":[{"Fields":{…}}]}}}` envelope, each checked by
 * `schema` (names matched regardless of case, one object or a list, as Venice sends either). An envelope
 * without the plural node holds no record; anything else out of shape is a ReplyShapeError naming where.
 */
export function envelopeRecords<S extends z.ZodMiniType>(
  body: unknown,
  objectName: keyof typeof PLURAL,
  schema: S,
  where: Pick<ReplyShapeDetails, 'service' | 'operation'>,
): Array<z.output<S>> {
  const { Response: response } = parseReply(envelope, body, where);
  const pluralKey = findKey(response, PLURAL[objectName]);
  // An empty envelope holds no record; one holding something else is not this reply.
  if (pluralKey === undefined) return empty(response, ['Response', PLURAL[objectName]], where);
  const node = parseReply(object, response[pluralKey], where, ['Response', pluralKey]);
  const objectKey = findKey(node, objectName);
  if (objectKey === undefined) return empty(node, ['Response', pluralKey, objectName], where);
  const list = node[objectKey];
  const at = ['Response', pluralKey, objectKey];
  const items = Array.isArray(list) ? list : [list];
  return items.map((item, i) => {
    const path = Array.isArray(list) ? [...at, i] : at;
    const { Fields } = parseReply(z.object({ Fields: object }), item, where, path);
    return parseReply(schema, Fields, where, [...path, 'Fields']);
  });
}
