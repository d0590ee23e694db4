/**
 * Which Billit and Venice Cloud the core talks to. With no account configured, the demo office runs
 * in-process on loopback and both clients use its demo credentials (held in memory only, never written to
 * the keychain); with accounts, the clients are built from what the keychain holds.
 *
 * The core never carries the demo office itself: the host that assembles the app passes a way to start it
 * (`StartOffice`), so the simulators and the seed generator stay out of the core's bundle.
 */
import { BILLIT_ENVIRONMENTS, createBillitClient, createBillitPortalUnverified, type BillitAuth } from '../billit';
import type { AccountRecord, Cache } from '../cache';
import { AppError } from '../../../shared/api/errors';
import { redact, type Logger } from '../log';
import type { SecretStore } from '../secrets';
import { createVeniceClient, listDossiers } from '../venice';
import type { VeniceSource } from '../dossiers/ports';
import type { Clock } from '../lib/time';
import type { SyncWorkers } from '../sync/ports';
import { createSyncWorkers } from '../sync/workers';
import { FEED_NAME } from '../sync/reads';
import { billitSource, veniceSource, type BillitSource } from './sources';

/** Where an office's Billit and Venice Cloud answer, and the logins the core uses there. */
export interface OfficeEndpoints {
  billitUrl: string;
  veniceUrl: string;
  credentials: {
    billit: { apiKey: string; /** The office's own company (PartyID / ContextPartyID). */ officePartyId: number };
    venice: { username: string; password: string };
  };
}

/** An office the core starts on loopback (the demo office) and stops with itself. */
export interface StartedOffice extends OfficeEndpoints {
  /** Offline, the office really goes away (every connection dropped); online, it answers as it was started. */
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

/** Starts the demo office with the accountant feeds the core reads. */
export type StartOffice<O extends StartedOffice = StartedOffice> = (needs: { feeds: string[] }) => Promise<O>;

/** The demo office the host offers: one to start when no account is configured, or one already running elsewhere (a test's, outliving the cores it starts). */
export type DemoOfficeChoice<O extends StartedOffice = StartedOffice> = StartOffice<O> | { office: OfficeEndpoints };

export interface ConnectTiming {
  /** Per-attempt time limit (default 30 s). */
  timeoutMs?: number;
  retries?: number;
  /** First backoff delay; tests make it tiny. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A longer Retry-After fails the call instead of waiting. */
  maxRetryAfterMs?: number;
}

export interface ConnectOptions<O extends StartedOffice = StartedOffice> {
  cache: Cache;
  secrets: SecretStore;
  log: Logger;
  clock: Clock;
  demo: DemoOfficeChoice<O>;
  timing?: ConnectTiming;
}

export interface Connection<O extends StartedOffice = StartedOffice> {
  mode: 'demo' | 'live';
  billit: BillitSource;
  workers: SyncWorkers;
  venice: VeniceSource;
  /** The demo office started here, if any (tests drive the demo entrepreneur through it). */
  demoOffice: O | null;
  close(): Promise<void>;
}

const VENICE_DEFAULT_URL = 'https://ponte.venice.be';

type ClientOptions = Pick<ConnectOptions, 'log' | 'clock' | 'timing'>;

function billitClient(baseUrl: string, auth: BillitAuth, officePartyId: number | undefined, o: ClientOptions) {
  return createBillitClient({
    baseUrl,
    auth,
    accountantPartyId: officePartyId,
    logger: o.log,
    timing: { ...o.timing, now: () => o.clock.now(), sleep: (ms, signal) => o.clock.sleep(ms, signal) },
  });
}

/** What the sync uses of Billit: the client on this thread, and the same API from its worker threads. */
function billitSide(baseUrl: string, auth: BillitAuth, officePartyId: number | undefined, o: ClientOptions): Pick<Connection, 'billit' | 'workers'> {
  const client = billitClient(baseUrl, auth, officePartyId, o);
  return {
    billit: billitSource(client, createBillitPortalUnverified(client)),
    workers: createSyncWorkers({ baseUrl, accountantPartyId: officePartyId, timing: o.timing ?? {}, auth: client.auth, clock: o.clock, log: o.log }),
  };
}

function veniceClient(baseUrl: string, login: { username: string; password: string }, o: ClientOptions) {
  return createVeniceClient({
    baseUrl,
    ...login,
    log: o.log,
    retry: {
      ...(o.timing?.timeoutMs !== undefined ? { timeoutMs: o.timing.timeoutMs } : {}),
      ...(o.timing?.retries !== undefined ? { retries: o.timing.retries } : {}),
      ...(o.timing?.baseDelayMs !== undefined ? { baseDelayMs: o.timing.baseDelayMs } : {}),
      ...(o.timing?.maxDelayMs !== undefined ? { maxDelayMs: o.timing.maxDelayMs } : {}),
      ...(o.timing?.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: o.timing.maxRetryAfterMs } : {}),
    },
  });
}

function fromOffice(office: OfficeEndpoints, o: ClientOptions): Pick<Connection, 'billit' | 'workers' | 'venice'> {
  const { credentials } = office;
  redact(credentials.billit.apiKey);
  redact(credentials.venice.password);
  return {
    ...billitSide(office.billitUrl, { kind: 'api-key', apiKey: credentials.billit.apiKey } as BillitAuth, credentials.billit.officePartyId, o),
    venice: veniceSource(veniceClient(office.veniceUrl, credentials.venice, o)),
  };
}

/** The demo office an account of environment 'demo' talks to (a test's, or `npm run demo`'s). */
export type DemoUrls = () => { billitUrl: string; veniceUrl: string } | null;

/** The live Billit API (and its sign-in pages) for an account's environment: a named one, the demo office, or a base URL the user gave. */
export function billitBases(environment: string, demo?: DemoUrls): { api: string; web: string } {
  const known = BILLIT_ENVIRONMENTS[environment as keyof typeof BILLIT_ENVIRONMENTS];
  if (known) return { api: known.apiBaseUrl, web: known.webBaseUrl };
  const office = environment === 'demo' ? demo?.() : null;
  if (office) return { api: office.billitUrl, web: office.billitUrl };
  if (/^https?:\/\//.test(environment)) return { api: environment, web: environment };
  throw new AppError('invalid-input', `No Billit API is known for the environment "${environment}"`);
}

function billitBaseUrl(environment: string, demo?: DemoUrls): string {
  return billitBases(environment, demo).api;
}

function veniceBaseUrl(environment: string, demo?: DemoUrls): string {
  const office = environment === 'demo' ? demo?.() : null;
  if (office) return office.veniceUrl;
  return /^https?:\/\//.test(environment) ? environment : VENICE_DEFAULT_URL;
}

/**
 * "Last verified": the account's stored secret, tried against its service. Billit answers with the user's
 * companies, Venice with the office's dossiers; either proves the credentials and names what they reach.
 */
export function accountVerifier(o: ClientOptions & Pick<ConnectOptions, 'secrets'> & { demo?: DemoUrls }) {
  return async (account: AccountRecord): Promise<{ label?: string }> => {
    if (account.kind === 'billit') {
      const auth = await o.secrets.billitAuth(account.environment);
      if (!auth) throw new AppError('keychain-unavailable', 'No Billit secret is stored for this account');
      const info = await billitClient(billitBaseUrl(account.environment, o.demo), auth, undefined, o).accountInformation();
      return { label: info.Email ?? info.Companies?.[0]?.Name ?? undefined };
    }
    const login = await o.secrets.veniceLogin(account.environment);
    if (!login) throw new AppError('keychain-unavailable', 'No Venice login is stored for this account');
    await listDossiers(veniceClient(veniceBaseUrl(account.environment, o.demo), login, o));
    return { label: login.username };
  };
}

/**
 * The connection the core holds: the sync and the handlers keep these objects, and the first run's "use
 * my accounts" puts another connection behind them without rebuilding the rest of the core.
 */
export interface SwitchableConnection<O extends StartedOffice = StartedOffice> extends Connection<O> {
  replace(next: Connection<O>): Promise<void>;
}

export function switchable<O extends StartedOffice>(initial: Connection<O>): SwitchableConnection<O> {
  let current = initial;
  const forward = <T extends object>(pick: (c: Connection<O>) => T): T =>
    new Proxy({} as T, {
      get(_, key) {
        const target = pick(current) as Record<PropertyKey, unknown>;
        const value = target[key];
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return {
    get mode() {
      return current.mode;
    },
    get demoOffice() {
      return current.demoOffice;
    },
    billit: forward((c) => c.billit),
    workers: forward((c) => c.workers),
    venice: forward((c) => c.venice),
    async replace(next) {
      const old = current;
      current = next;
      await old.close();
    },
    close: () => current.close(),
  };
}

/** The demo office's addresses, for accounts of environment 'demo': one running elsewhere, else null. */
export function runningElsewhere(demo: DemoOfficeChoice): OfficeEndpoints | null {
  return typeof demo === 'function' ? null : demo.office;
}

/** The configured accounts, when both are there and their secrets can be read; null otherwise (the log says why). */
export async function connectAccounts<O extends StartedOffice>(o: ConnectOptions<O>): Promise<Connection<O> | null> {
  const accounts = o.cache.accounts.list();
  const billitAccount = accounts.find((a) => a.kind === 'billit');
  const veniceAccount = accounts.find((a) => a.kind === 'venice');
  if (!billitAccount || !veniceAccount) return null;
  const demo: DemoUrls = () => runningElsewhere(o.demo);
  try {
    const auth = await o.secrets.billitAuth(billitAccount.environment);
    const login = await o.secrets.veniceLogin(veniceAccount.environment);
    if (auth && login) {
      const billit = billitSide(billitBaseUrl(billitAccount.environment, demo), auth, undefined, o);
      const venice = veniceClient(veniceBaseUrl(veniceAccount.environment, demo), login, o);
      return { mode: 'live', ...billit, venice: veniceSource(venice), demoOffice: null, close: () => billit.workers.close() };
    }
    o.log.warn('accounts are configured but their secrets are not in the keychain: running the demo office');
  } catch (error) {
    // An unreachable keychain or an unknown environment must not keep the app from starting: it runs the
    // demo office, says so on every screen, and Settings shows why.
    o.log.warn('the configured accounts cannot be used: running the demo office', error);
  }
  return null;
}

/** The configured accounts, or else the demo office. */
export async function connect<O extends StartedOffice>(o: ConnectOptions<O>): Promise<Connection<O>> {
  const live = await connectAccounts(o);
  if (live) return live;
  if (typeof o.demo !== 'function') {
    const sides = fromOffice(o.demo.office, o);
    return { mode: 'demo', ...sides, demoOffice: null, close: () => sides.workers.close() };
  }
  const office = await o.demo({ feeds: [FEED_NAME] });
  o.log.info(`demo office started (Billit ${office.billitUrl}, Venice ${office.veniceUrl})`);
  const sides = fromOffice(office, o);
  return {
    mode: 'demo',
    ...sides,
    demoOffice: office,
    close: async () => {
      await sides.workers.close();
      await office.close();
    },
  };
}
