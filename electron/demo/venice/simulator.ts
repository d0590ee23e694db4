/**
 * The Venice Cloud simulator: WebConnect as the public reference describes it (HTTP Basic with the office
 * administrator's login, `Request`/`Response` envelopes, `{"error":{"code","message"}}` errors, Customer and
 * Supplier by key, the read-only OData service with server-driven paging), on a loopback sim server with
 * the same fault injection and request log as the Billit simulator.
 *
 * Route tags: 'webconnect' (documented REST), 'odata' (documented OData service; the supplier table name is
 * modelled), 'unverified' (the dossier list: no public endpoint, modelled).
 */
import {
  createSimServer,
  type FaultRule,
  type HandlerContext,
  type SimRequest,
  type SimResponse,
  type SimServer,
} from '../sim-server';
import { ODataError, evaluate, parseFilter, parseOrderBy, sortBy } from '../billit/odata';
import type { DemoDossier, DemoWorld } from '../seed/world';
import {
  DOSSIER_FIELD_NAMES,
  NUMERIC_FIELDS,
  RELATION_FIELD_NAMES,
  VeniceSimState,
  dossierRecord,
  type RelationKind,
  type VeniceRecord,
} from './state';

export interface VeniceSimulatorOptions {
  /** The seeded world to serve (a state is made from it), or a ready state. */
  world?: DemoWorld;
  state?: VeniceSimState;
  faults?: FaultRule[];
  port?: number;
  /** Largest OData page the server sends, whatever the client prefers (default 100). */
  maxPageSize?: number;
}

export interface VeniceSimulator extends SimServer {
  readonly state: VeniceSimState;
}

export const WEBCONNECT = 'webconnect';
export const ODATA = 'odata';
export const UNVERIFIED = 'unverified';

const CONTROLLERS: Record<string, { kind: RelationKind; object: string; plural: string }> = {
  customer: { kind: 'customer', object: 'Customer', plural: 'Customers' },
  supplier: { kind: 'supplier', object: 'Supplier', plural: 'Suppliers' },
};
const TABLES: Record<string, RelationKind> = { cst: 'customer', sup: 'supplier' };

export function veniceError(status: number, code: string, message: string, headers?: Record<string, string>): SimResponse {
  return { status, json: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

function envelope(plural: string, object: string, records: VeniceRecord[]): unknown {
  return { Response: { [plural]: { [object]: records.map((Fields) => ({ Fields })) } } };
}

/** A parameter from the query string or, as WebConnect also allows, from a request header of that name. */
function param(req: SimRequest, name: string): string | undefined {
  for (const [k, v] of req.query) if (k.toLowerCase() === name.toLowerCase()) return v;
  return req.header(name);
}

function project(record: VeniceRecord, fields: readonly string[] | null): VeniceRecord {
  if (!fields) return record;
  const out: VeniceRecord = {};
  for (const f of fields) out[f] = record[f] ?? '';
  return out;
}

function typed(record: VeniceRecord): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(record)) out[k] = NUMERIC_FIELDS.has(k) && v !== '' ? Number(v) : v;
  return out;
}

/** `fields=Name,City`: null for all; an unknown name is an error (as WebConnect documents). */
function fieldList(text: string | undefined, known: readonly string[]): string[] | null | SimResponse {
  if (text === undefined || text.trim() === '') return null;
  const wanted = text.split(',').map((f) => f.trim()).filter(Boolean);
  const out: string[] = [];
  for (const f of wanted) {
    const hit = known.find((k) => k.toLowerCase() === f.toLowerCase());
    if (!hit) return veniceError(400, 'errInvalidFieldName', `errInvalidFieldName:The field '${f}' does not exist.`);
    out.push(hit);
  }
  return out;
}

export function createVeniceSimulator(options: VeniceSimulatorOptions): VeniceSimulator {
  const state = options.state ?? (options.world ? new VeniceSimState(options.world) : null);
  if (!state) throw new Error('createVeniceSimulator needs a world or a state');
  const maxPageSize = options.maxPageSize ?? 100;

  const authenticate = (req: SimRequest): SimResponse | null => {
    const header = req.header('authorization') ?? '';
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (m) {
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0 && decoded.slice(0, colon) === state.credentials.username && decoded.slice(colon + 1) === state.credentials.password)
        return null;
    }
    return veniceError(401, 'errNotAuthenticated', 'errNotAuthenticated:Invalid user name or password.', {
      'WWW-Authenticate': 'Basic realm="Venice WebConnect", charset="UTF-8"',
    });
  };

  /** The dossier of the request, or the error Venice gives (unknown, or WebConnect not activated). */
  const dossierOf = (req: SimRequest): DemoDossier | SimResponse => {
    const id = req.params.dossierId ?? '';
    const d = state.dossier(id);
    if (!d) return veniceError(404, 'errDossierNotFound', `errDossierNotFound:The dossier '${id}' does not exist.`);
    if (!state.webConnect(d))
      return veniceError(403, 'errWebConnectNotActivated', `errWebConnectNotActivated:WebConnect is not activated for dossier '${d.veniceId}'.`);
    return d;
  };

  const guarded =
    (handler: (req: SimRequest, ctx: HandlerContext) => SimResponse | Promise<SimResponse>) =>
    (req: SimRequest, ctx: HandlerContext) =>
      authenticate(req) ?? handler(req, ctx);

  const isResponse = (v: unknown): v is SimResponse => typeof v === 'object' && v !== null && ('status' in v || 'json' in v);

  // GET /webconnect/api/Venice/Dossiers — modelled (no public endpoint lists an office's dossiers).
  const listDossiers = guarded((req) => {
    const fields = fieldList(param(req, 'fields'), DOSSIER_FIELD_NAMES);
    if (isResponse(fields)) return fields;
    const records = state.dossiers().map((d) => project(dossierRecord(d, state.webConnect(d)), fields));
    return { json: envelope('Dossiers', 'Dossier', records) };
  });

  // GET /webconnect/api/{dossierId}/Dossier — documented dossier properties.
  const dossierProperties = guarded((req) => {
    const d = dossierOf(req);
    if (isResponse(d)) return d;
    const record: VeniceRecord = {
      Directory: d.veniceId,
      CabinetName: state.world.office.name,
      Name: d.name,
      LastYear: state.world.asOf.slice(0, 4),
      Currency: 'EUR',
      Options: d.index % 3 === 0 ? 'Tls,Fid,Axs,Inv,Ext,Acc' : 'Fid,Ext,Acc',
    };
    return { json: envelope('Dossiers', 'Dossier', [record]) };
  });

  // GET /webconnect/api/{dossierId}/Customer|Supplier?{Key}={Values}&fields=…
  const readRelation = (controller: string) =>
    guarded((req) => {
      const c = CONTROLLERS[controller]!;
      const d = dossierOf(req);
      if (isResponse(d)) return d;
      const fields = fieldList(param(req, 'fields'), RELATION_FIELD_NAMES);
      if (isResponse(fields)) return fields;
      const list = state.relations(d.veniceId, c.kind);
      let matches: VeniceRecord[];
      const systemNumber = param(req, 'SystemNumber');
      const numberPair = param(req, 'NumberPair');
      const syncReference = param(req, 'SyncReference');
      if (systemNumber !== undefined) {
        const wanted = systemNumber.split('\n').map((s) => s.trim());
        matches = wanted.flatMap((w) => list.filter((r) => r.SystemNumber === w));
      } else if (numberPair !== undefined) {
        const pairs = numberPair.split('\n').map((p) => p.split('\t').map((s) => s.trim()));
        matches = pairs.flatMap(([n, sub]) => list.filter((r) => r.Number === n && r.SubNumber === (sub ?? '0')));
      } else if (syncReference !== undefined) {
        const wanted = syncReference.split('\n').map((s) => s.trim()).filter(Boolean);
        matches = wanted.flatMap((w) => list.filter((r) => r.SyncReference !== '' && r.SyncReference === w));
      } else {
        return veniceError(400, 'errNoKey', `errNoKey:A key (SystemNumber, NumberPair or SyncReference) is required to read a ${c.object}.`);
      }
      if (matches.length === 0) return veniceError(404, 'errRecordNotFound', `errRecordNotFound:The ${c.object} does not exist.`);
      return { json: envelope(c.plural, c.object, matches.map((r) => project(r, fields))) };
    });

  // POST /webconnect/api/{dossierId}/Customer|Supplier with {"Request":{"Customers":{"Customer":[{"Fields":{…}}]}}}
  const createRelation = (controller: string) =>
    guarded((req) => {
      const c = CONTROLLERS[controller]!;
      const d = dossierOf(req);
      if (isResponse(d)) return d;
      const request = (req.body as { Request?: Record<string, Record<string, unknown>> } | undefined)?.Request;
      const node = request?.[c.plural]?.[c.object];
      const items = Array.isArray(node) ? node : node ? [node] : [];
      if (items.length !== 1)
        return veniceError(400, 'errInvalidRequest', `errInvalidRequest:The request must hold exactly one ${c.object}.`);
      const fields = (items[0] as { Fields?: Record<string, unknown> }).Fields;
      if (!fields || typeof fields !== 'object') return veniceError(400, 'errInvalidRequest', 'errInvalidRequest:Fields missing.');
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(fields)) {
        const name = RELATION_FIELD_NAMES.find((n) => n.toLowerCase() === k.toLowerCase());
        if (!name || name === 'SystemNumber') return veniceError(400, 'errInvalidFieldName', `errInvalidFieldName:The field '${k}' cannot be set.`);
        values[name] = v === null || v === undefined ? '' : String(v);
      }
      if (!values.Name?.trim()) return veniceError(400, 'errMandatoryField', 'errMandatoryField:Name is mandatory.');
      const list = state.relations(d.veniceId, c.kind);
      if (values.SyncReference && list.some((r) => r.SyncReference === values.SyncReference))
        return veniceError(409, 'errDuplicateSyncReference', `errDuplicateSyncReference:A ${c.object} with this SyncReference exists.`);
      if (values.Number && list.some((r) => r.Number === values.Number && r.SubNumber === (values.SubNumber || '0')))
        return veniceError(409, 'errDuplicateKey', `errDuplicateKey:${c.object} ${values.Number} exists.`);
      const record = state.addRelation(d.veniceId, c.kind, values);
      return {
        json: envelope(c.plural, c.object, [{ SystemNumber: record.SystemNumber!, Number: record.Number!, SubNumber: record.SubNumber! }]),
      };
    });

  // GET /webconnect.OData/odata/{dossierId}/{table}?$select&$filter&$orderby&$top&$skip&$count
  const odata = guarded((req, ctx) => {
    const d = dossierOf(req);
    if (isResponse(d)) return d;
    const table = (req.params.table ?? '').toLowerCase();
    const kind = TABLES[table];
    if (!kind) return veniceError(404, 'errTableNotFound', `The table '${req.params.table}' does not exist.`);
    let select: string[] | null;
    let rows: Array<Record<string, string | number>>;
    let top: number | null;
    let skip: number;
    try {
      const selectText = param(req, '$select');
      const sel = fieldList(selectText, RELATION_FIELD_NAMES);
      if (isResponse(sel)) return sel;
      select = sel;
      rows = state.relations(d.veniceId, kind).map(typed);
      const filterText = param(req, '$filter');
      if (filterText) {
        const filter = parseFilter(filterText);
        rows = rows.filter((r) => evaluate(filter, r));
      }
      const orderBy = parseOrderBy(param(req, '$orderby') ?? '');
      for (const o of orderBy)
        if (!RELATION_FIELD_NAMES.some((n) => n.toLowerCase() === o.path.join('/').toLowerCase()))
          throw new ODataError(`Could not find a property named '${o.path.join('/')}'.`);
      rows = sortBy(rows, orderBy);
      const topText = param(req, '$top');
      const skipText = param(req, '$skip');
      top = topText === undefined ? null : Number(topText);
      skip = skipText === undefined ? 0 : Number(skipText);
      if (top !== null && (!Number.isInteger(top) || top < 0)) throw new ODataError(`Invalid value '${topText}' for $top.`);
      if (!Number.isInteger(skip) || skip < 0) throw new ODataError(`Invalid value '${skipText}' for $skip.`);
    } catch (error) {
      if (error instanceof ODataError) return veniceError(400, '', error.message);
      throw error;
    }
    const total = rows.length;
    const prefer = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(req.header('prefer') ?? '');
    const preferred = prefer ? Math.max(1, Number(prefer[1])) : null;
    const pageSize = Math.min(maxPageSize, preferred ?? maxPageSize);
    const wanted = top === null ? total - skip : Math.min(top, total - skip);
    const count = Math.max(0, Math.min(pageSize, wanted));
    const value = rows.slice(skip, skip + count).map((r) => {
      if (!select) return r;
      const out: Record<string, string | number> = {};
      for (const f of select) out[f] = r[f] ?? '';
      return out;
    });
    const base = `${ctx.baseUrl}${req.path}`;
    const json: Record<string, unknown> = { '@odata.context': `${ctx.baseUrl}/webconnect.OData/odata/${d.veniceId}/$metadata#${req.params.table}` };
    if (/^true$/i.test(param(req, '$count') ?? '')) json['@odata.count'] = total;
    json.value = value;
    if (count < wanted) {
      const next = new URLSearchParams(req.query);
      for (const k of [...next.keys()]) if (k.toLowerCase() === '$skip' || k.toLowerCase() === '$top') next.delete(k);
      next.set('$skip', String(skip + count));
      if (top !== null) next.set('$top', String(top - count));
      json['@odata.nextLink'] = `${base}?${next.toString()}`;
    }
    const headers: Record<string, string> = { 'OData-Version': '4.0' };
    if (preferred !== null) headers['Preference-Applied'] = `odata.maxpagesize=${pageSize}`;
    return { json, headers };
  });

  const server = createSimServer({
    name: 'venice',
    faults: options.faults,
    port: options.port,
    faultBody: (status, code, description) => ({ error: { code: status === 429 ? 'errTooManyRequests' : `err${code}`, message: description } }),
    routes: [
      { method: 'GET', pattern: '/webconnect/api/Venice/Dossiers', handler: listDossiers, tag: UNVERIFIED },
      { method: 'GET', pattern: '/webconnect/api/{dossierId}/Dossier', handler: dossierProperties, tag: WEBCONNECT },
      { method: 'GET', pattern: '/webconnect/api/{dossierId}/Customer', handler: readRelation('customer'), tag: WEBCONNECT },
      { method: 'POST', pattern: '/webconnect/api/{dossierId}/Customer', handler: createRelation('customer'), tag: WEBCONNECT },
      { method: 'GET', pattern: '/webconnect/api/{dossierId}/Supplier', handler: readRelation('supplier'), tag: WEBCONNECT },
      { method: 'POST', pattern: '/webconnect/api/{dossierId}/Supplier', handler: createRelation('supplier'), tag: WEBCONNECT },
      { method: 'GET', pattern: '/webconnect.OData/odata/{dossierId}/{table}', handler: odata, tag: ODATA },
    ],
  });
  return Object.assign(server, { state });
}
