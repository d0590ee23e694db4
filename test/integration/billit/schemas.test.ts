/**
 * The zod schemas that check Billit's replies (`electron/core/billit/schemas.ts`) are the swagger's
 * definitions written for the app: every field they check exists in the definition of the reply of the
 * route it is used on, with the same type (string, integer, number, boolean, enum, list, object), so a
 * schema cannot drift from Billit's contract or invent a field.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import * as schemas from '../../../electron/core/billit/schemas';
import { loadSwagger, type Schema } from './swagger';

const swagger = loadSwagger();

function resolve(s: Schema): Schema {
  if (s.$ref) return resolve(swagger.definitions[s.$ref.replace('#/definitions/', '')]!);
  if (s.allOf) return { type: 'object', properties: Object.assign({}, ...s.allOf.map((p) => resolve(p).properties ?? {})) };
  return s;
}

/** What this test reads of a zod schema: its definition. */
type Zod = { _zod: { def: unknown } };

/** Differences between a zod schema and the swagger schema it mirrors. */
function compare(zod: Zod, sw: Schema, at: string): string[] {
  const def = zod._zod.def as { type: string; format?: string; innerType?: Zod; element?: Zod; shape?: Record<string, Zod>; entries?: Record<string, string> };
  if (def.type === 'optional' || def.type === 'nullable') return compare(def.innerType!, sw, at);
  if (def.type === 'unknown') return [];
  const target = resolve(sw);
  const type = target.type ?? (target.properties ? 'object' : undefined);
  switch (def.type) {
    case 'object': {
      if (type !== 'object') return [`${at}: an object, the swagger says ${type}`];
      return Object.entries(def.shape!).flatMap(([name, field]) => {
        const prop = target.properties?.[name];
        return prop ? compare(field, prop, `${at}.${name}`) : [`${at}.${name}: not in the swagger`];
      });
    }
    case 'array':
      return type === 'array' ? compare(def.element!, target.items!, `${at}[]`) : [`${at}: a list, the swagger says ${type}`];
    case 'string':
      return type === 'string' ? [] : [`${at}: a string, the swagger says ${type}`];
    case 'boolean':
      return type === 'boolean' ? [] : [`${at}: a boolean, the swagger says ${type}`];
    case 'number':
      if (def.format === 'safeint') return type === 'integer' ? [] : [`${at}: an integer, the swagger says ${type}`];
      return type === 'number' ? [] : [`${at}: a number, the swagger says ${type}`];
    case 'enum': {
      if (type !== 'string') return [`${at}: an enum, the swagger says ${type}`];
      const extra = Object.values(def.entries!).filter((v) => target.enum && !target.enum.includes(v));
      return extra.length ? [`${at}: ${extra.join(', ')} not among the swagger's values`] : [];
    }
    default:
      return [`${at}: a ${def.type}, which the swagger cannot say`];
  }
}

/** The reply schema the client uses on each route, and the route's 200 reply in the swagger. */
const routes: Array<[string, string, z.ZodMiniType]> = [
  ['get', '/v1/account/accountInformation', schemas.accountInformation],
  ['post', '/v1/account/registercompany', schemas.registerAccountResponse],
  ['get', '/v1/parties', schemas.partyPage],
  ['get', '/v1/parties/{partyID}', schemas.listedParty],
  ['post', '/v1/parties', schemas.createdId],
  ['get', '/v1/orders', schemas.orderPage],
  ['get', '/v1/orders', schemas.orderKeyPage],
  ['get', '/v1/orders/deleted', schemas.orderPage],
  ['get', '/v1/orders/deleted', schemas.orderKeyPage],
  ['get', '/v1/orders/{orderID}', schemas.order],
  ['get', '/v1/files/{fileID}', schemas.downloadedFile],
  ['get', '/v1/documents/{documentID}', schemas.documentView],
  ['get', '/v1/accountant/feeds', schemas.feeds],
  ['get', '/v1/accountant/feeds/{feedName}', schemas.feedItems],
  ['get', '/v1/accountant/feeds/{feedName}/{feedItemID}', schemas.fileDetails],
  ['get', '/v1/misc/companysearch/{Keywords}', schemas.companySearchResult],
  ['get', '/v1/peppol/participantInformation/{VATorCBE}', schemas.participantInformation],
];

describe('the schemas of Billit’s replies', () => {
  it.each(Object.entries(schemas.swaggerDefinitions))('%s has only the swagger definition’s fields, with its types', (name, schema) => {
    const definition = swagger.definitions[name];
    expect(definition, `${name} is a swagger definition`).toBeDefined();
    expect(compare(schema as unknown as Zod, definition!, name)).toEqual([]);
  });

  it.each(routes.map(([method, path, schema]) => [`${method.toUpperCase()} ${path}`, method, path, schema] as const))(
    '%s: the schema the client uses matches the reply the swagger gives',
    (_label, method, path, schema) => {
      const reply = swagger.paths[path]?.[method]?.responses?.['200']?.schema;
      expect(reply, `${method} ${path} has a 200 reply in the swagger`).toBeDefined();
      expect(compare(schema as unknown as Zod, reply!, `${method.toUpperCase()} ${path}`)).toEqual([]);
    },
  );

  it('would catch a field the swagger does not have, or a type it does not give', async () => {
    const z = await import('zod/mini');
    expect(compare(z.looseObject({ OrderID: z.string() }) as unknown as Zod, swagger.definitions.Order!, 'Order')).toEqual([
      'Order.OrderID: a string, the swagger says integer',
    ]);
    expect(compare(z.looseObject({ OrderNr: z.string() }) as unknown as Zod, swagger.definitions.Order!, 'Order')).toEqual(['Order.OrderNr: not in the swagger']);
    expect(compare(z.looseObject({ TotalIncl: z.int() }) as unknown as Zod, swagger.definitions.Order!, 'Order')).toEqual([
      'Order.TotalIncl: an integer, the swagger says number',
    ]);
  });
});
