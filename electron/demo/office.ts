/**
 * The demo office: the Billit and Venice Cloud simulators started in-process on random loopback ports, both
 * seeded from one deterministic demo world (`./seed`). The app's embedded default, `npm run demo`'s server,
 * and the fixture of the clients' integration tests.
 */
import { createBillitSimulator, type BillitSimulator } from './billit/simulator';
import { addApiKey, addFeed, addOAuthClient, createBillitState, type BillitSimState } from './billit/state';
import { exportPending, populateBillit, type BillitPopulation } from './seed/billit';
import { Rng } from './seed/prng';
import { createWorld, type DemoWorld, type WorldOptions } from './seed/world';
import type { FaultRule } from './sim-server';
import { createVeniceSimulator, type VeniceSimulator } from './venice/simulator';
import { VeniceSimState } from './venice/state';
import type { StartedOffice, StartOffice } from '../core';

export interface DemoOfficeOptions extends WorldOptions {
  /** Fault rules per simulator (see `sim-server.ts`); they can also be changed later on each server. */
  faults?: { billit?: FaultRule[]; venice?: FaultRule[] };
  /** Fixed ports (default random free ones). */
  billitPort?: number;
  venicePort?: number;
  /** The Billit simulator's clock (default the real one). */
  now?: () => Date;
  /** Accountant feeds that exist before the seed (so already-exported documents are in them). */
  feeds?: string[];
  /** Largest OData page Venice sends (default 100). */
  veniceMaxPageSize?: number;
  /** Redirect URIs registered for the demo OAuth client. */
  oauthRedirectUris?: string[];
}

export interface DemoCredentials {
  billit: {
    apiKey: string;
    /** The office's own company (PartyID / ContextPartyID). */
    officePartyId: number;
    oauth: { clientId: string; clientSecret: string; redirectUris: string[] };
  };
  venice: { username: string; password: string };
}

export interface DemoOffice extends StartedOffice {
  readonly billitUrl: string;
  readonly veniceUrl: string;
  readonly credentials: DemoCredentials;
  readonly world: DemoWorld;
  readonly billit: {
    readonly server: BillitSimulator;
    readonly state: BillitSimState;
    readonly population: BillitPopulation;
    /** The demo entrepreneurs export up to `limit` documents they had not exported yet (into the feeds). */
    exportPending(limit?: number): number;
  };
  readonly venice: { readonly server: VeniceSimulator; readonly state: VeniceSimState };
  /** Offline: both servers drop every connection; online: the faults the office was started with again. */
  setOffline(offline: boolean): void;
  /** Stops both servers (idempotent). */
  close(): Promise<void>;
}

export const DEFAULT_REDIRECT_URIS = ['http://127.0.0.1/oauth/callback', 'billit-venice-link://oauth/callback', 'be.billit.venicelink://oauth/callback'];

/** Credentials that follow from the seed, so a restarted demo office accepts what the app stored. */
function demoSecrets(seed: number) {
  const rng = Rng.of(seed, 'credentials');
  const hex = (n: number) => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
  return { apiKey: `demo-${hex(32)}`, clientId: `demo-client-${hex(8)}`, clientSecret: `demo-secret-${hex(32)}` };
}

export async function startDemoOffice(options: DemoOfficeOptions = {}): Promise<DemoOffice> {
  const world = createWorld(options);
  const secrets = demoSecrets(world.seed);
  const o = world.office;

  const billitState = createBillitState({
    ...(options.now ? { now: options.now } : {}),
    office: {
      name: o.name,
      enterpriseNumber: o.enterpriseNumber,
      email: o.email,
      language: o.language === 'fr' ? 'FR' : o.language === 'en' ? 'EN' : 'NL',
      address: { street: o.address.street, streetNumber: o.address.number, zipcode: o.address.zip, city: o.address.city, countryCode: 'BE' },
    },
    officeUser: { email: o.venice.username.replace(/^admin@/, 'accountant@') },
  });
  const redirectUris = options.oauthRedirectUris ?? DEFAULT_REDIRECT_URIS;
  addApiKey(billitState, secrets.apiKey);
  addOAuthClient(billitState, { clientId: secrets.clientId, clientSecret: secrets.clientSecret, name: 'Billit Venice Link (demo)', redirectUris });
  for (const feed of options.feeds ?? []) addFeed(billitState, feed);
  const population = populateBillit(billitState, world);

  const veniceState = new VeniceSimState(world);
  const billitServer = createBillitSimulator({ state: billitState, faults: options.faults?.billit, port: options.billitPort });
  const veniceServer = createVeniceSimulator({
    state: veniceState,
    faults: options.faults?.venice,
    port: options.venicePort,
    maxPageSize: options.veniceMaxPageSize,
  });
  try {
    await Promise.all([billitServer.start(), veniceServer.start()]);
  } catch (error) {
    await Promise.allSettled([billitServer.close(), veniceServer.close()]);
    throw error;
  }

  let closed: Promise<void> | null = null;
  return {
    billitUrl: billitServer.url,
    veniceUrl: veniceServer.url,
    credentials: {
      billit: {
        apiKey: secrets.apiKey,
        officePartyId: billitState.office.partyId,
        oauth: { clientId: secrets.clientId, clientSecret: secrets.clientSecret, redirectUris },
      },
      venice: { ...veniceState.credentials },
    },
    world,
    billit: {
      server: billitServer,
      state: billitState,
      population,
      exportPending: (limit?: number) => exportPending(billitState, population, limit),
    },
    venice: { server: veniceServer, state: veniceState },
    setOffline(offline) {
      const drop = [{ kind: 'drop-connection' as const, when: 'before' as const }];
      billitServer.setFaults(offline ? drop : (options.faults?.billit ?? []));
      veniceServer.setFaults(offline ? drop : (options.faults?.venice ?? []));
    },
    close() {
      closed ??= Promise.all([billitServer.close(), veniceServer.close()]).then(() => undefined);
      return closed;
    },
  };
}

/**
 * How a host (or a test) hands the demo office to the core: started when the core needs it, with the
 * accountant feeds it reads added to `options.feeds`.
 */
export function demoOffice(options: DemoOfficeOptions = {}): StartOffice<DemoOffice> {
  return ({ feeds }) => startDemoOffice({ ...options, feeds: [...(options.feeds ?? []), ...feeds] });
}
