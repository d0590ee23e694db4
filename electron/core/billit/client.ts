import { AppError } from '../../../shared/api/errors';
import { enterpriseDigits } from '../../../shared/belgian';
import { redact, type Logger } from '../log';
import { createAuthProvider, type BillitAuth, type OAuthTokens } from './auth';
import { BillitError, BillitIntegrityError, FeedPollTooSoonError } from './errors';
import { createTransport, backoffDelay, type AuthProvider, type HttpMethod, type RequestContext, type TimingOptions, type Transport } from './http';
import { and, dateTime, eq, ge } from './odata';
import * as schemas from './schemas';
import type * as z from 'zod/mini';
import type {
  AccountInformation,
  BillitDocument,
  BillitOrder,
  BillitParty,
  CompanySearchItem,
  DownloadedFile,
  Feed,
  FeedItem,
  PageResult,
  ParticipantInformation,
  RegisterAccountResponse,
  RegisterCompanyRequest,
  BillitFileRef,
} from './types';
import { sha256 } from '../lib/hash';

/**
 * The Billit client: every call the app makes to Billit's public API, as its swagger defines it.
 * The portal steps that have no public endpoint are not here: see `portal-unverified.ts`.
 */

export const BILLIT_ENVIRONMENTS = {
  production: { apiBaseUrl: 'https://api.billit.be', webBaseUrl: 'https://my.billit.be' },
  sandbox: { apiBaseUrl: 'https://api.sandbox.billit.be', webBaseUrl: 'https://my.sandbox.billit.be' },
} as const;

/** Billit's page size limit for `$top`. */
export const MAX_PAGE_SIZE = 120;
/** "Only query this once per minute" (GET /v1/accountant/feeds/{feedName}). */
export const FEED_POLL_INTERVAL_MS = 60_000;

export interface BillitClientConfig {
  /** API base: production, sandbox, or the demo office. */
  baseUrl: string;
  /**
   * The credentials, or a provider that holds them elsewhere: a worker thread's client asks the main thread's
   * provider for headers and renewals, so one place refreshes (and stores) single-use OAuth tokens.
   */
  auth: BillitAuth | AuthProvider;
  /**
   * The accountant's own company. Sent as `ContextPartyID` on calls made for a client company (PartyID),
   * and as `PartyID` on the office's own calls (accountant feeds, registering companies).
   */
  accountantPartyId?: number;
  timing?: TimingOptions;
  logger?: Logger;
  /** Minimum time between two polls of one feed. Default 60 s (Billit's rule); never lower it in production. */
  feedPollIntervalMs?: number;
  /** When each feed was last polled (epoch ms), e.g. restored from the database, so a restart does not poll early. */
  lastFeedPolls?: Record<string, number>;
  onFeedPolled?: (feedName: string, at: number) => void;
  /** A page size for lists (≤ 120). Default 120. */
  pageSize?: number;
  /** A guard against a server that never stops paging. Default 10 000 pages. */
  maxPages?: number;
}

export interface ListOptions {
  /** OData `$filter`, e.g. built with `./odata`. */
  filter?: string;
  orderBy?: string;
  /** ≤ 120. */
  pageSize?: number;
  /** Start at this `$skip`. */
  skip?: number;
  signal?: AbortSignal;
}

export interface OrderListOptions extends Omit<ListOptions, 'filter' | 'orderBy'> {
  /** `LastModified ge …`: a LastModified string exactly as Billit sent it, or a Date (UTC). */
  modifiedSince?: string | Date;
  direction?: 'Income' | 'Cost';
  orderType?: 'Invoice' | 'CreditNote' | string;
  /** Extra `$filter` clauses, and-ed. */
  filter?: string;
}

export interface PartyListOptions extends Omit<ListOptions, 'filter'> {
  partyType?: 'Customer' | 'Supplier';
  modifiedSince?: string | Date;
  filter?: string;
}

/** How a feed item is fetched. */
export type FeedEntity =
  | { kind: 'order'; item: FeedItem; order: BillitOrder }
  | { kind: 'document'; item: FeedItem; document: BillitDocument }
  | { kind: 'file'; item: FeedItem };

export interface VerifiedFile {
  fileName: string;
  bytes: Uint8Array;
  /** Lower-case hex SHA-256 of `bytes`, equal to the one Billit published. */
  sha256: string;
}

export interface RegisterCompanyResult {
  companyId: number;
  /** The new company's API key (a credential: store it in the keychain or drop it). Absent when recovered. */
  apiKey?: string;
  response?: RegisterAccountResponse;
  /** True when an earlier attempt had created the company and the id was looked up afterwards. */
  recovered: boolean;
}

export type BillitClient = ReturnType<typeof createBillitClient>;

/**
 * Base64 from a JSON reply, checked without a pass of our own over the text: Node's decoder skips what is
 * not base64, so a file with anything else in it decodes to fewer bytes than its length promises. The
 * bytes get an ArrayBuffer of their own (never a slice of Node's shared pool), so they can be handed to
 * another thread.
 */
export function decodeBase64(text: string, what: string): Uint8Array {
  const clean = /\s/.test(text) ? text.replace(/\s+/g, '') : text;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const expected = (clean.length / 4) * 3 - padding;
  const bytes = new Uint8Array(Number.isInteger(expected) ? expected : 0);
  const written = Number.isInteger(expected) ? Buffer.from(bytes.buffer).write(clean, 'base64') : -1;
  if (written !== expected) throw new AppError('remote', `Billit sent ${what} with content that is not valid base64.`);
  return bytes;
}

function isAuthProvider(auth: BillitAuth | AuthProvider): auth is AuthProvider {
  return typeof (auth as AuthProvider).headers === 'function';
}

/** Credentials held by another client (see `BillitClientConfig.auth`): renewing them is that client's job. */
function delegated(provider: AuthProvider): AuthProvider & { current(): BillitAuth; refresh(): Promise<OAuthTokens> } {
  const elsewhere = () => new AppError('internal', 'These Billit credentials are held by another client');
  return {
    headers: (signal) => provider.headers(signal),
    renewAfter401: provider.renewAfter401 ? (errors, signal, sent) => provider.renewAfter401!(errors, signal, sent) : undefined,
    current() {
      throw elsewhere();
    },
    refresh: () => Promise.reject(elsewhere()),
  };
}

export function createBillitClient(config: BillitClientConfig) {
  // The token endpoint has its own transport: it must not go through the auth provider.
  const tokenTransport: Transport = createTransport({ baseUrl: config.baseUrl, timing: config.timing, logger: config.logger });
  const timing = tokenTransport.timing;
  const authProvider = isAuthProvider(config.auth) ? delegated(config.auth) : createAuthProvider(config.auth, () => tokenTransport, timing.now, config.logger);
  const api: Transport = createTransport({ baseUrl: config.baseUrl, timing: config.timing, logger: config.logger, auth: authProvider });
  const office = config.accountantPartyId;
  const pageSize = Math.min(config.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const pollInterval = config.feedPollIntervalMs ?? FEED_POLL_INTERVAL_MS;
  const lastPolls = new Map<string, number>(Object.entries(config.lastFeedPolls ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

  /** Headers for acting for a company: PartyID, plus the office as ContextPartyID when it is another company. */
  function forCompany(partyId: number | undefined): RequestContext {
    if (partyId === undefined) return office === undefined ? {} : { partyId: office };
    return office !== undefined && office !== partyId ? { partyId, contextPartyId: office } : { partyId };
  }
  const forOffice = (): RequestContext => (office === undefined ? {} : { partyId: office });

  /** One call; its reply checked against `reply` (see `./schemas`) before anything reads it. */
  async function call<S extends z.ZodMiniType>(
    method: HttpMethod,
    path: string,
    context: RequestContext,
    reply: S,
    extra: { query?: Record<string, string | number | undefined>; json?: unknown; signal?: AbortSignal; idempotencyKey?: string } = {},
  ): Promise<z.output<S>> {
    const res = await api.request({ method, path, context, reply, ...extra });
    return res.data;
  }

  /** Every page of a list, following NextPageLink (on our own base URL), until there is none. */
  async function* pages<T>(
    path: string,
    context: RequestContext,
    page: z.ZodMiniType<PageResult<T>>,
    options: ListOptions = {},
  ): AsyncGenerator<PageResult<T>> {
    const top = Math.min(options.pageSize ?? pageSize, MAX_PAGE_SIZE);
    if (!Number.isInteger(top) || top < 1) throw new AppError('invalid-input', `Page size must be 1..${MAX_PAGE_SIZE}`);
    let next: string | null = path;
    let query: Record<string, string | number | undefined> | undefined = {
      $filter: options.filter,
      $orderby: options.orderBy,
      $top: top,
      $skip: options.skip || undefined,
    };
    const seen = new Set<string>();
    let count = 0;
    while (next) {
      if (++count > (config.maxPages ?? 10_000)) throw new AppError('remote', `Billit kept paging ${path} beyond ${config.maxPages ?? 10_000} pages.`);
      const pageData = (await api.request({ method: 'GET', path: next, query, context, reply: page, signal: options.signal })).data;
      yield pageData;
      const link = typeof pageData.NextPageLink === 'string' && pageData.NextPageLink.trim() !== '' ? pageData.NextPageLink : null;
      if (!link || pageData.Items.length === 0) break;
      next = api.resolveLink(link);
      if (seen.has(next)) throw new AppError('remote', `Billit returned the same NextPageLink twice for ${path}.`);
      seen.add(next);
      query = undefined; // the link carries the query
    }
  }

  async function* items<T>(path: string, context: RequestContext, page: z.ZodMiniType<PageResult<T>>, options: ListOptions = {}): AsyncGenerator<T> {
    for await (const p of pages<T>(path, context, page, options)) for (const item of p.Items) yield item;
  }

  async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }

  function orderFilter(o: OrderListOptions): string | undefined {
    return and(
      o.modifiedSince !== undefined && ge('LastModified', { raw: dateTime(o.modifiedSince) }),
      o.direction && eq('OrderDirection', o.direction),
      o.orderType && eq('OrderType', o.orderType),
      o.filter,
    );
  }

  async function getFile(partyId: number, fileId: string, signal?: AbortSignal): Promise<DownloadedFile> {
    const f = await call('GET', `/v1/files/${encodeURIComponent(fileId)}`, forCompany(partyId), schemas.downloadedFile, { signal });
    return {
      fileId: f.FileID ?? fileId,
      fileName: f.FileName ?? fileId,
      mimeType: f.MimeType ?? undefined,
      bytes: decodeBase64(f.FileContent, `file ${fileId}`),
    };
  }

  const isXml = (f: BillitFileRef) => /xml/i.test(f.MimeType ?? '') || /\.xml$/i.test(f.FileName ?? '');

  const self = {
    baseUrl: api.baseUrl,
    /** The credentials as they are now (after any refresh), for a host that wants to show "connected". */
    currentAuth: (): BillitAuth => authProvider.current(),
    /** Renew the OAuth tokens now (normally automatic). */
    refreshTokens: (): Promise<OAuthTokens> => authProvider.refresh(),
    /** Headers and renewals, for a worker thread's client that delegates its credentials here. */
    auth: authProvider as AuthProvider,
    /** For `portal-unverified.ts` only: the same transport, credentials and resilience. */
    raw: api,
    contextFor: forCompany,
    officeContext: forOffice,

    // ---- Account
    /** GET /v1/account/accountInformation: the user and every company the credentials reach. */
    accountInformation: (signal?: AbortSignal): Promise<AccountInformation> => call('GET', '/v1/account/accountInformation', {}, schemas.accountInformation, { signal }),

    /**
     * POST /v1/account/registercompany (from the office's company). The new company is linked to the office.
     * A company whose enterprise number already exists is refused (`isCompanyAlreadyExists`) → the link path.
     */
    async registerCompany(request: RegisterCompanyRequest, signal?: AbortSignal): Promise<RegisterCompanyResult> {
      try {
        const res = await call('POST', '/v1/account/registercompany', forOffice(), schemas.registerAccountResponse, { json: request, signal });
        if (res.APIKey) redact(res.APIKey);
        return { companyId: res.CompanyID, apiKey: res.APIKey ?? undefined, response: { ...res, APIKey: undefined }, recovered: false };
      } catch (error) {
        if (!(error instanceof BillitError && error.alreadyApplied)) throw error;
        // An earlier attempt created it; its reply was lost. Find it among the companies we reach.
        const info = await call('GET', '/v1/account/accountInformation', {}, schemas.accountInformation, { signal });
        const wanted = enterpriseDigits(request.Company.VATNumber);
        const hit = info.Companies.find((c) => c.VATNumber && enterpriseDigits(c.VATNumber) === wanted);
        if (!hit) throw error;
        return { companyId: hit.PartyID, recovered: true };
      }
    },

    // ---- Parties
    parties(partyId: number, options: PartyListOptions = {}): AsyncGenerator<BillitParty> {
      const filter = and(
        options.partyType && eq('PartyType', options.partyType),
        options.modifiedSince !== undefined && ge('LastModified', { raw: dateTime(options.modifiedSince) }),
        options.filter,
      );
      return items<BillitParty>('/v1/parties', forCompany(partyId), schemas.partyPage, { ...options, filter });
    },
    listParties(partyId: number, options: PartyListOptions = {}): Promise<BillitParty[]> {
      return collect(self.parties(partyId, options));
    },
    getParty: (partyId: number, id: number, signal?: AbortSignal): Promise<BillitParty> =>
      call('GET', `/v1/parties/${id}`, forCompany(partyId), schemas.listedParty, { signal }),

    /**
     * POST /v1/parties: create or update (Billit matches on PartyID, VAT number, number, e-mail). Returns the
     * PartyID. If a retry finds the first attempt already succeeded, the same upsert is sent once more under a
     * new key: Billit matches the party the first attempt made, so no second party appears.
     */
    async createOrUpdateParty(partyId: number, party: BillitParty & { PartyType: 'Customer' | 'Supplier'; Name: string }, signal?: AbortSignal): Promise<number> {
      const send = () => call('POST', '/v1/parties', forCompany(partyId), schemas.createdId, { json: party, signal });
      const matchable = !!(party.PartyID || party.VATNumber || party.Nr || party.Email);
      let id: number;
      for (let round = 1; ; round++) {
        try {
          id = await send();
          break;
        } catch (error) {
          if (!(error instanceof BillitError && error.alreadyApplied && matchable && round <= 3)) throw error;
        }
      }
      return id;
    },

    // ---- Orders
    /** GET /v1/orders, all pages; by default ordered by LastModified then OrderID. */
    orders(partyId: number, options: OrderListOptions = {}): AsyncGenerator<BillitOrder> {
      return items<BillitOrder>('/v1/orders', forCompany(partyId), schemas.orderPage, {
        ...options,
        filter: orderFilter(options),
        orderBy: 'LastModified asc,OrderID asc',
      });
    },
    orderPages(partyId: number, options: OrderListOptions = {}): AsyncGenerator<PageResult<BillitOrder>> {
      return pages<BillitOrder>('/v1/orders', forCompany(partyId), schemas.orderPage, {
        ...options,
        filter: orderFilter(options),
        orderBy: 'LastModified asc,OrderID asc',
      });
    },
    listOrders(partyId: number, options: OrderListOptions = {}): Promise<BillitOrder[]> {
      return collect(self.orders(partyId, options));
    },
    /** GET /v1/orders/{id}: the detail (lines, attachments) that list items lack. */
    getOrder: (partyId: number, orderId: number, signal?: AbortSignal): Promise<BillitOrder> =>
      call('GET', `/v1/orders/${orderId}`, forCompany(partyId), schemas.order, { signal }),
    /** GET /v1/orders/deleted (soft-deleted orders), optionally since a LastModified. */
    deletedOrders(partyId: number, options: { since?: string | Date; pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<BillitOrder> {
      return items<BillitOrder>('/v1/orders/deleted', forCompany(partyId), schemas.orderPage, {
        pageSize: options.pageSize,
        signal: options.signal,
        filter: options.since !== undefined ? ge('LastModified', { raw: dateTime(options.since) }) : undefined,
      });
    },
    listDeletedOrders(partyId: number, options: { since?: string | Date; pageSize?: number; signal?: AbortSignal } = {}): Promise<BillitOrder[]> {
      return collect(self.deletedOrders(partyId, options));
    },

    // ---- Files
    /** GET /v1/files/{id}: base64 JSON → bytes. */
    getFile,
    /** The order's UBL (the `.xml` attachment) and its PDF (OrderPDF), downloaded. Needs the order detail. */
    async getOrderFiles(partyId: number, order: BillitOrder, signal?: AbortSignal): Promise<{ ubl?: DownloadedFile; pdf?: DownloadedFile }> {
      const ublRef = order.Attachments?.find(isXml);
      const pdfRef = order.OrderPDF?.FileID ? order.OrderPDF : order.Attachments?.find((a) => /pdf/i.test(a.MimeType ?? '') || /\.pdf$/i.test(a.FileName ?? ''));
      const [ubl, pdf] = await Promise.all([
        ublRef?.FileID ? getFile(partyId, ublRef.FileID, signal) : undefined,
        pdfRef?.FileID ? getFile(partyId, pdfRef.FileID, signal) : undefined,
      ]);
      return { ubl, pdf };
    },
    getDocument: (partyId: number, documentId: number, signal?: AbortSignal): Promise<BillitDocument> =>
      call('GET', `/v1/documents/${documentId}`, forCompany(partyId), schemas.documentView, { signal }),

    // ---- Accountant feeds (the office's)
    listFeeds: (signal?: AbortSignal): Promise<Feed[]> => call('GET', '/v1/accountant/feeds', forOffice(), schemas.feeds, { signal }),
    /** POST /v1/accountant/feeds: newly exported documents will appear in it. An existing feed is fine. */
    async createFeed(name: string, signal?: AbortSignal): Promise<void> {
      try {
        await call('POST', '/v1/accountant/feeds', forOffice(), schemas.unread, { json: { Name: name }, signal });
      } catch (error) {
        if (error instanceof BillitError && (error.alreadyApplied || error.hasCode('FeedAlreadyExists'))) return;
        throw error;
      }
    },
    /** The feed exists afterwards (listed first, created when missing). */
    async ensureFeed(name: string, signal?: AbortSignal): Promise<void> {
      const feeds = await self.listFeeds(signal);
      if (feeds.some((f) => f.Name?.toLowerCase() === name.toLowerCase())) return;
      await self.createFeed(name, signal);
    },
    deleteFeed: async (name: string, signal?: AbortSignal): Promise<void> => {
      await call('DELETE', `/v1/accountant/feeds/${encodeURIComponent(name)}`, forOffice(), schemas.unread, { signal });
    },
    /** When this feed may be polled again (epoch ms). */
    nextFeedPollAt(name: string): number {
      const last = lastPolls.get(name.toLowerCase());
      return last === undefined ? 0 : last + pollInterval;
    },
    /**
     * GET /v1/accountant/feeds/{feedName}: the open items. At most once per minute per feed: an earlier call
     * fails with a `FeedPollTooSoonError` ('rate-limited') without reaching Billit.
     */
    async pollFeed(name: string, signal?: AbortSignal): Promise<FeedItem[]> {
      const now = timing.now();
      const key = name.toLowerCase();
      const last = lastPolls.get(key);
      if (last !== undefined && now - last < pollInterval) {
        const retryAfterMs = last + pollInterval - now;
        throw new FeedPollTooSoonError(name, retryAfterMs);
      }
      lastPolls.set(key, now);
      config.onFeedPolled?.(name, now);
      return call('GET', `/v1/accountant/feeds/${encodeURIComponent(name)}`, forOffice(), schemas.feedItems, { signal });
    },
    /** The order or document behind a feed item (PartyID = the item's company, ContextPartyID = the office). */
    async fetchFeedEntity(item: FeedItem, signal?: AbortSignal): Promise<FeedEntity> {
      if (item.EntityType.toLowerCase() === 'order') return { kind: 'order', item, order: await self.getOrder(item.PartyID, item.EntityID, signal) };
      if (item.EntityType.toLowerCase() === 'document')
        return { kind: 'document', item, document: await self.getDocument(item.PartyID, item.EntityID, signal) };
      return { kind: 'file', item };
    },
    /**
     * GET /v1/accountant/feeds/{feedName}/{feedItemID}: the file (a CODA statement), checked against the
     * SHA-256 Billit publishes for it. A mismatch is retried like a transport fault; if it persists, the file is
     * refused with a BillitIntegrityError and nothing is returned.
     */
    async downloadFeedItem(feedName: string, feedItemId: number, signal?: AbortSignal): Promise<VerifiedFile> {
      const path = `/v1/accountant/feeds/${encodeURIComponent(feedName)}/${feedItemId}`;
      const attempts = timing.retries + 1;
      for (let attempt = 1; ; attempt++) {
        const f = await call('GET', path, forOffice(), schemas.fileDetails, { signal });
        const bytes = decodeBase64(f.FileContent, `feed item ${feedItemId}`);
        const actual = sha256(bytes);
        const published = (f.FileContentSHA256Hash ?? '').trim().toLowerCase();
        if (published && published === actual) return { fileName: f.FileName ?? `feed-item-${feedItemId}`, bytes, sha256: actual };
        const problem = published
          ? `its SHA-256 ${actual} does not match the ${published} Billit published`
          : 'Billit published no SHA-256 for it';
        config.logger?.warn(`billit: feed item ${feedItemId} refused: ${problem} (attempt ${attempt}/${attempts})`);
        if (!published || attempt >= attempts)
          throw new BillitIntegrityError('remote', `The file of feed item ${feedItemId} was refused: ${problem}.`, {
            status: 200,
            method: 'GET',
            path,
            errors: [{ Code: 'SHA256Mismatch', Description: problem }],
            attempts: attempt,
          });
        await timing.sleep(backoffDelay(attempt, timing), signal);
      }
    },
    /** POST …/{feedItemID}/confirm with where the file went: the item leaves the feed. */
    async confirmFeedItem(
      feedName: string,
      feedItemId: number,
      where: { remotePath?: string; remoteServerName?: string } = {},
      signal?: AbortSignal,
    ): Promise<void> {
      const body: Record<string, string> = {};
      if (where.remoteServerName) body.RemoteServerName = where.remoteServerName;
      if (where.remotePath) body.RemotePath = where.remotePath;
      try {
        await call('POST', `/v1/accountant/feeds/${encodeURIComponent(feedName)}/${feedItemId}/confirm`, forOffice(), schemas.unread, { json: body, signal });
      } catch (error) {
        if (error instanceof BillitError && error.alreadyApplied) return;
        throw error;
      }
    },

    // ---- Look-ups
    /** GET /v1/misc/companysearch/{Keywords} (KBO / VIES). */
    async searchCompanies(keywords: string, signal?: AbortSignal): Promise<CompanySearchItem[]> {
      const res = await call('GET', `/v1/misc/companysearch/${encodeURIComponent(keywords)}`, forOffice(), schemas.companySearchResult, { signal });
      return res.Items;
    },
    /** The KBO entry for an enterprise number, or null. (Says nothing about being a Billit company.) */
    async searchCompanyByEnterpriseNumber(enterpriseNumber: string, signal?: AbortSignal): Promise<CompanySearchItem | null> {
      const digits = enterpriseDigits(enterpriseNumber);
      if (!/^\d{10}$/.test(digits)) throw new AppError('invalid-input', `'${enterpriseNumber}' is not an enterprise number`);
      const list = await self.searchCompanies(digits, signal);
      return list.find((i) => i.CompanyIdentification && enterpriseDigits(i.CompanyIdentification) === digits) ?? null;
    },
    /** GET /v1/peppol/participantInformation/{VATorCBE} ("API key is not required": none is sent). */
    async peppolParticipant(vatOrCbe: string, options: { onlyCheckDns?: boolean; signal?: AbortSignal } = {}): Promise<ParticipantInformation> {
      const res = await api.request({
        method: 'GET',
        reply: schemas.participantInformation,
        path: `/v1/peppol/participantInformation/${encodeURIComponent(vatOrCbe)}`,
        query: options.onlyCheckDns ? { OnlyCheckDNS: 'true' } : undefined,
        authenticated: false,
        signal: options.signal,
      });
      return res.data;
    },
  };
  return self;
}
