/**
 * Venice Cloud client (WebConnect), on ky.
 *
 * As documented (reference §2): HTTP Basic with the office administrator's login; JSON `Request` /
 * `Response` envelopes with one object per create; errors `{"error":{"code","message"}}`; customers and
 * suppliers read by key (`SystemNumber`, `NumberPair` = Number TAB SubNumber, `SyncReference`) under
 * `/webconnect/api/{DossierId}/…`; listing through the read-only OData service
 * (`/webconnect.OData/odata/{DossierId}/{Table}`), paged by the server (`@odata.nextLink`, page size asked
 * with `Prefer: odata.maxpagesize`). Field names that the docs do not give are in `./fields` (modelled).
 * Listing the office's dossiers is not documented at all: see `./dossiers-unverified`.
 *
 * Every call retries network errors, timeouts, truncated bodies, 5xx and 429 (after `Retry-After`) with
 * backoff and jitter (`../http/retry`); failures become `VeniceError` (an `AppError`). The password and the
 * Basic token are registered with `redact()` before anything could log them.
 */
import ky, { type KyInstance } from 'ky';
import { redact, type Logger } from '../log';
import {
  HttpStatusError,
  IncompleteBodyError,
  RetryExhaustedError,
  defaultRetryPolicy,
  parseRetryAfter,
  withRetry,
  type ClassifiedFailure,
  type RetryPolicy,
} from '../http/retry';
import { VeniceError, fromFailure } from './errors';
import { CONTROLLER, ODATA_TABLE, PLURAL, RELATION_FIELDS, joinStreet, languageCode, toRelation, type VeniceFields } from './fields';
import type { NewVeniceRelation, RelationKeys, RelationKind, VeniceRelation } from './types';
import { parseReply } from '../http/reply';
import { dossierProperties, envelopeRecords, odataPage, relationFields } from './schemas';
import type * as z from 'zod/mini';

export interface VeniceCredentials {
  username: string;
  password: string;
}

export interface VeniceClientOptions extends VeniceCredentials {
  /** Scheme and host (and an optional path prefix) in front of `/webconnect/…`, e.g. `https://ponte.venice.be`. */
  baseUrl: string;
  log?: Logger;
  retry?: Partial<RetryPolicy> & { random?: () => number };
  /** Page size asked of the OData service (it may send smaller pages). Default 500. */
  pageSize?: number;
  fetch?: typeof fetch;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ListOptions extends CallOptions {
  /** Called after each page with the number of records read so far. */
  onProgress?: (read: number) => void;
}

export type RelationKey = { systemNumber: number } | { number: number; subNumber?: number } | { syncReference: string };

/** Documented `GET /{DossierId}/Dossier` properties. */
export interface VeniceDossierProperties {
  name: string | null;
  cabinetName: string | null;
  directory: string | null;
  lastYear: number | null;
  currency: string | null;
  options: string[];
  fields: VeniceFields;
}

const MAX_PAGES = 100_000;

export class VeniceClient {
  readonly baseUrl: string;
  readonly username: string;
  private readonly http: KyInstance;
  private readonly policy: Partial<RetryPolicy> & { random?: () => number };
  private readonly log?: Logger;
  private readonly pageSize: number;
  private readonly origin: string;

  constructor(options: VeniceClientOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.username = options.username;
    redact(options.password);
    const token = Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64');
    redact(token);
    this.http = ky.create({
      headers: { Authorization: `Basic ${token}`, Accept: 'application/json' },
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.log = options.log;
    this.pageSize = options.pageSize ?? 500;
  }

  /** `/webconnect/api/{segments…}` as an absolute URL. */
  restUrl(...segments: string[]): URL {
    return new URL(`${this.baseUrl}/webconnect/api/${segments.map(encodeURIComponent).join('/')}`);
  }

  odataUrl(dossierId: string, table: string): URL {
    return new URL(`${this.baseUrl}/webconnect.OData/odata/${encodeURIComponent(dossierId)}/${encodeURIComponent(table)}`);
  }

  /**
   * One call with retries: the request and its whole body are one attempt. Resolves to the parsed JSON
   * (null for an empty body); throws `VeniceError`.
   */
  async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: URL,
    operation: string,
    options: CallOptions & {
      json?: unknown;
      headers?: Record<string, string>;
      /** For non-idempotent calls: may this failure be retried? */
      mayRetry?: (failure: ClassifiedFailure) => boolean;
      /** Runs at the start of every retry (not the first attempt); a non-undefined result ends the call with it. */
      beforeRetry?: (signal: AbortSignal) => Promise<unknown>;
    } = {},
  ): Promise<unknown> {
    if (url.origin !== this.origin) {
      // Never send the office's login to another host, whatever a response links to.
      throw new VeniceError('remote', `Venice Cloud pointed to another host (${url.host}); refused (${operation}).`, {
        service: 'venice',
        operation,
      });
    }
    try {
      return await withRetry(
        async (signal, attempt) => {
          if (attempt > 1 && options.beforeRetry) {
            const settled = await options.beforeRetry(signal);
            if (settled !== undefined) return settled;
          }
          const response = await this.http(url, {
            method,
            signal,
            ...(options.json !== undefined ? { json: options.json } : {}),
            ...(options.headers ? { headers: options.headers } : {}),
          });
          const text = await response.text();
          let body: unknown = null;
          if (text.length > 0) {
            try {
              body = JSON.parse(text);
            } catch {
              if (response.ok) throw new IncompleteBodyError(`Venice sent a body that is not complete JSON (${text.length} bytes)`);
              body = text;
            }
          }
          if (!response.ok) throw new HttpStatusError(response.status, body, parseRetryAfter(response.headers.get('retry-after')));
          return body;
        },
        {
          ...this.policy,
          signal: options.signal,
          ...(options.mayRetry ? { mayRetry: options.mayRetry } : {}),
          onRetry: ({ retry, delayMs, failure, error }) => {
            const why = failure.kind === 'http' ? `HTTP ${failure.status}` : `${failure.kind} (${(error as Error)?.message ?? error})`;
            this.log?.warn(`Venice ${method} ${url.pathname}: ${why}; retry ${retry} in ${delayMs} ms (${operation})`);
          },
        },
      );
    } catch (error) {
      if (error instanceof RetryExhaustedError) {
        const mapped = fromFailure(error, operation);
        this.log?.warn(`Venice ${method} ${url.pathname} failed: ${mapped.code} ${mapped.message}`);
        throw mapped;
      }
      throw error;
    }
  }

  /** Follows `@odata.nextLink` from `first` and returns every record of every page, each checked by `record`. */
  async odataAll<S extends z.ZodMiniType>(first: URL, operation: string, record: S, options: ListOptions = {}): Promise<Array<z.output<S>>> {
    const pageSchema = odataPage(record);
    const records: Array<z.output<S>> = [];
    const seen = new Set<string>();
    let next: URL | null = first;
    for (let page = 0; next; page++) {
      if (page >= MAX_PAGES || seen.has(next.href))
        throw new VeniceError('remote', `Venice Cloud's paging does not end (${operation}).`, { service: 'venice', operation });
      seen.add(next.href);
      const reply = await this.request('GET', next, operation, {
        signal: options.signal,
        headers: { Prefer: `odata.maxpagesize=${this.pageSize}` },
      });
      const body = parseReply(pageSchema, reply, { service: 'venice', operation });
      for (const item of body.value) records.push(item);
      options.onProgress?.(records.length);
      const link = body['@odata.nextLink'];
      next = link ? new URL(link, next) : null;
    }
    return records;
  }

  /** Every customer or supplier of a dossier, ordered by SystemNumber. */
  async listRelations(dossierId: string, kind: RelationKind, options: ListOptions = {}): Promise<VeniceRelation[]> {
    const url = this.odataUrl(dossierId, ODATA_TABLE[kind]);
    url.searchParams.set('$select', RELATION_FIELDS.join(','));
    url.searchParams.set('$orderby', 'SystemNumber');
    const operation = `list the ${kind}s of dossier ${dossierId}`;
    const records = await this.odataAll(url, operation, relationFields, options);
    // A record that moves between pages while paging would appear twice: keep one per SystemNumber.
    const bySystemNumber = new Map<number, VeniceRelation>();
    for (const r of records) {
      const relation = toRelation(kind, r);
      bySystemNumber.set(relation.systemNumber, relation);
    }
    return [...bySystemNumber.values()].sort((a, b) => a.systemNumber - b.systemNumber);
  }

  listCustomers(dossierId: string, options?: ListOptions): Promise<VeniceRelation[]> {
    return this.listRelations(dossierId, 'customer', options);
  }

  listSuppliers(dossierId: string, options?: ListOptions): Promise<VeniceRelation[]> {
    return this.listRelations(dossierId, 'supplier', options);
  }

  /** One customer or supplier by key (WebConnect REST); null when Venice has none. */
  async getRelation(dossierId: string, kind: RelationKind, key: RelationKey, options: CallOptions = {}): Promise<VeniceRelation | null> {
    const controller = CONTROLLER[kind];
    const url = this.restUrl(dossierId, controller);
    if ('systemNumber' in key) url.searchParams.set('SystemNumber', String(key.systemNumber));
    else if ('syncReference' in key) url.searchParams.set('SyncReference', key.syncReference);
    else url.searchParams.set('NumberPair', `${key.number}\t${key.subNumber ?? 0}`);
    url.searchParams.set('fields', RELATION_FIELDS.join(','));
    try {
      const operation = `read ${kind} ${JSON.stringify(key)} of dossier ${dossierId}`;
      const body = await this.request('GET', url, operation, options);
      const [first] = envelopeRecords(body, controller, relationFields, { service: 'venice', operation });
      return first ? toRelation(kind, first) : null;
    } catch (error) {
      if (error instanceof VeniceError && error.code === 'not-found' && error.veniceCode !== 'errDossierNotFound') return null;
      throw error;
    }
  }

  /**
   * Creates a customer or supplier (one object per `Request`, as WebConnect requires) and returns its keys.
   * With a `syncReference` a lost answer is safe: before each retry the client looks the reference up and
   * returns the record it finds instead of creating a second one. Without one, failures that may have
   * reached Venice are not retried.
   */
  async createRelation(dossierId: string, kind: RelationKind, input: NewVeniceRelation, options: CallOptions = {}): Promise<RelationKeys> {
    const controller = CONTROLLER[kind];
    const fields: Record<string, string> = { Name: input.name };
    if (input.legalForm) fields.LegalForm = input.legalForm;
    if (input.vatNumber) fields.VatNum = input.vatNumber;
    if (input.address) {
      const street = joinStreet(input.address);
      if (street) fields.Street = street;
      if (input.address.zipcode) fields.PostalCode = input.address.zipcode;
      if (input.address.city) fields.City = input.address.city;
      if (input.address.countryCode) fields.CountryCode = input.address.countryCode;
    }
    if (input.email) fields.Email = input.email;
    if (input.phone) fields.Phone = input.phone;
    if (input.iban) fields.Iban = input.iban;
    if (input.bic) fields.Bic = input.bic;
    if (input.language) fields.Language = languageCode(input.language);
    if (input.syncReference) fields.SyncReference = input.syncReference;
    const operation = `create ${kind} "${input.name}" in dossier ${dossierId}`;
    const reference = input.syncReference;
    const body = await this.request('POST', this.restUrl(dossierId, controller), operation, {
      ...options,
      json: { Request: { [PLURAL[controller]]: { [controller]: [{ Fields: fields }] } } },
      // 429 and refused connections never reached the record; anything else might have.
      mayRetry: (failure) => Boolean(reference) || failure.status === 429,
      ...(reference
        ? {
            beforeRetry: async (signal: AbortSignal) => {
              const found = await this.getRelation(dossierId, kind, { syncReference: reference }, { signal });
              return found ? { found } : undefined;
            },
          }
        : {}),
    });
    const found = (body as { found?: VeniceRelation }).found;
    if (found) return { systemNumber: found.systemNumber, number: found.number, subNumber: found.subNumber };
    const [created] = envelopeRecords(body, controller, relationFields, { service: 'venice', operation });
    if (!created) throw new VeniceError('remote', `Venice Cloud did not return the new record's keys (${operation}).`, { service: 'venice', operation });
    const rel = toRelation(kind, created);
    return { systemNumber: rel.systemNumber, number: rel.number, subNumber: rel.subNumber };
  }

  /** The documented dossier properties (`GET /{DossierId}/Dossier`). */
  async getDossierProperties(dossierId: string, options: CallOptions = {}): Promise<VeniceDossierProperties> {
    const operation = `read dossier ${dossierId}`;
    const body = await this.request('GET', this.restUrl(dossierId, 'Dossier'), operation, options);
    const [fields] = envelopeRecords(body, 'Dossier', dossierProperties, { service: 'venice', operation });
    if (!fields) throw new VeniceError('not-found', `Venice Cloud has no dossier ${dossierId}.`, { service: 'venice', operation: `read dossier ${dossierId}` });
    const get = (n: string) => (fields[n] === undefined || fields[n] === '' ? null : String(fields[n]));
    const lastYear = Number(get('LastYear'));
    return {
      name: get('Name'),
      cabinetName: get('CabinetName'),
      directory: get('Directory'),
      lastYear: Number.isFinite(lastYear) && get('LastYear') !== null ? lastYear : null,
      currency: get('Currency'),
      options: (get('Options') ?? '').split(',').map((o) => o.trim()).filter(Boolean),
      fields,
    };
  }
}

export function createVeniceClient(options: VeniceClientOptions): VeniceClient {
  return new VeniceClient(options);
}
