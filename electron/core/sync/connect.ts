/**
 * Which Billit and Venice Cloud the core talks to. With no account configured, the demo office runs
 * in-process on loopback and both clients use its demo credentials (held in memory only, never written to
 * the keychain); with accounts, the clients are built from what the keychain holds.
 */
import { startDemoOffice, type DemoCredentials, type DemoOfficeOptions } from '../../demo/office';
import { BILLIT_ENVIRONMENTS, createBillitClient, createBillitPortalUnverified, type BillitAuth } from '../billit';
import type { Cache } from '../cache';
import { redact, type Logger } from '../log';
import type { SecretStore } from '../secrets';
import { createVeniceClient } from '../venice';
import type { BillitSource, Clock, VeniceSource } from './ports';
import { billitSource, veniceSource, FEED_NAME } from './sources';

/** A demo office already running elsewhere (a test's, outliving the cores it starts). */
export interface RunningDemoOffice {
  billitUrl: string;
  veniceUrl: string;
  credentials: DemoCredentials;
}

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

export interface ConnectOptions {
  cache: Cache;
  secrets: SecretStore;
  log: Logger;
  clock: Clock;
  demo?: Omit<DemoOfficeOptions, 'feeds'> | { office: RunningDemoOffice };
  timing?: ConnectTiming;
}

export interface Connection {
  mode: 'demo' | 'live';
  billit: BillitSource;
  venice: VeniceSource;
  /** The demo office started here, if any (tests drive the demo entrepreneur through it). */
  demoOffice: Awaited<ReturnType<typeof startDemoOffice>> | null;
  close(): Promise<void>;
}

const VENICE_DEFAULT_URL = 'https://ponte.venice.be';

function billitClient(baseUrl: string, auth: BillitAuth, officePartyId: number | undefined, o: ConnectOptions) {
  return createBillitClient({
    baseUrl,
    auth,
    accountantPartyId: officePartyId,
    logger: o.log,
    timing: { ...o.timing, now: () => o.clock.now(), sleep: (ms, signal) => o.clock.sleep(ms, signal) },
  });
}

function veniceClient(baseUrl: string, login: { username: string; password: string }, o: ConnectOptions) {
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

function fromOffice(office: RunningDemoOffice, o: ConnectOptions): Pick<Connection, 'billit' | 'venice'> {
  const { credentials } = office;
  redact(credentials.billit.apiKey);
  redact(credentials.venice.password);
  const billit = billitClient(office.billitUrl, { kind: 'api-key', apiKey: credentials.billit.apiKey } as BillitAuth, credentials.billit.officePartyId, o);
  return {
    billit: billitSource(billit, createBillitPortalUnverified(billit)),
    venice: veniceSource(veniceClient(office.veniceUrl, credentials.venice, o)),
  };
}

export async function connect(o: ConnectOptions): Promise<Connection> {
  const accounts = o.cache.accounts.list();
  const billitAccount = accounts.find((a) => a.kind === 'billit');
  const veniceAccount = accounts.find((a) => a.kind === 'venice');
  if (billitAccount && veniceAccount && !o.demo) {
    const auth = await o.secrets.billitAuth(billitAccount.environment);
    const login = await o.secrets.veniceLogin(veniceAccount.environment);
    if (auth && login) {
      const env = BILLIT_ENVIRONMENTS[billitAccount.environment as keyof typeof BILLIT_ENVIRONMENTS];
      const billit = billitClient(env?.apiBaseUrl ?? billitAccount.environment, auth, undefined, o);
      const venice = veniceClient(/^https?:/.test(veniceAccount.environment) ? veniceAccount.environment : VENICE_DEFAULT_URL, login, o);
      return { mode: 'live', billit: billitSource(billit, createBillitPortalUnverified(billit)), venice: veniceSource(venice), demoOffice: null, close: async () => undefined };
    }
    o.log.warn('accounts are configured but their secrets are not in the keychain: running the demo office');
  }
  if (o.demo && 'office' in o.demo) return { mode: 'demo', ...fromOffice(o.demo.office, o), demoOffice: null, close: async () => undefined };
  const office = await startDemoOffice({ ...(o.demo ?? {}), feeds: [FEED_NAME] });
  o.log.info(`demo office started (Billit ${office.billitUrl}, Venice ${office.veniceUrl})`);
  return { mode: 'demo', ...fromOffice(office, o), demoOffice: office, close: () => office.close() };
}
