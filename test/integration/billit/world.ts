import { createHash } from 'node:crypto';
import { afterEach, expect } from 'vitest';
import {
  addApiKey,
  addCodaFile,
  addCompany,
  addFeed,
  addOAuthClient,
  addOrder,
  addParty,
  createBillitSimulator,
  createBillitState,
  exportOrder,
  type BillitSimState,
  type BillitSimulator,
  type SimCompany,
  PORTAL_PREFIX,
} from '../../../electron/demo/billit';
import type { FaultRule, SimLogEntry } from '../../../electron/demo/sim-server';
import { createBillitClient, type BillitClientConfig } from '../../../electron/core/billit';
import type { Logger } from '../../../electron/core/log';
import { scrub } from '../../../electron/core/log';
import { ERROR_BODY_SCHEMA, findOperation, loadSwagger, validate } from './swagger';

/** A small Billit world for the client tests, and a simulator that checks every reply against the swagger. */

export const API_KEY = 'office-api-key-7f3a9c21';
export const OAUTH_CLIENT = {
  clientId: 'venice-link-test',
  clientSecret: 'client-secret-5b8e1d44',
  name: 'Billit Venice Link (test)',
  redirectUri: 'http://127.0.0.1:53682/oauth/billit',
};
export const FEED = 'venice-link';

/** A valid Belgian enterprise number from 8 digits (check = 97 − n mod 97). */
export function enterpriseNumber(first8: number): string {
  const base = String(first8).padStart(8, '0').slice(0, 8);
  const check = 97 - (Number(base) % 97);
  return base + String(check).padStart(2, '0');
}

export interface World {
  state: BillitSimState;
  linked: SimCompany;
  notLinked: SimCompany;
  notActivated: SimCompany;
  codaBytes: Uint8Array;
}

const at = (iso: string) => new Date(iso + 'Z');

export function buildWorld(options: { orders?: number; now?: () => Date } = {}): World {
  let tick = Date.parse('2026-05-01T08:00:00Z');
  const state = createBillitState({ now: options.now ?? (() => new Date((tick += 1000))) });
  addApiKey(state, API_KEY);
  addOAuthClient(state, {
    clientId: OAUTH_CLIENT.clientId,
    clientSecret: OAUTH_CLIENT.clientSecret,
    name: OAUTH_CLIENT.name,
    redirectUris: [OAUTH_CLIENT.redirectUri],
  });
  addFeed(state, FEED);
  const linked = addCompany(state, {
    name: 'Bakkerij Janssens BV',
    enterpriseNumber: enterpriseNumber(4_123_456),
    email: 'info@bakkerij-janssens.be',
    phone: '+32 9 123 45 67',
    iban: 'BE68539007547034',
    linkedToOffice: true,
  });
  const notLinked = addCompany(state, {
    name: 'Schrijnwerkerij Peeters',
    enterpriseNumber: enterpriseNumber(5_234_567),
    email: 'hallo@peeters-hout.be',
    linkedToOffice: false,
    entrepreneur: { decision: 'manual', afterMs: 0 },
  });
  const notActivated = addCompany(state, {
    name: 'Garage Dubois SRL',
    enterpriseNumber: enterpriseNumber(6_345_678),
    email: 'contact@garage-dubois.be',
    language: 'FR',
    linkedToOffice: true,
    loginActivated: false,
  });
  const customer = addParty(state, linked.partyId, {
    partyType: 'Customer',
    name: 'Restaurant De Kaai',
    nr: 'C001',
    vatNumber: 'BE' + enterpriseNumber(7_456_789),
    email: 'boekhouding@dekaai.be',
    address: { street: 'Kaai', streetNumber: '12', zipcode: '9000', city: 'Gent', countryCode: 'BE' },
  });
  const supplier = addParty(state, linked.partyId, {
    partyType: 'Supplier',
    name: 'Molens Van Hove NV',
    nr: 'S001',
    vatNumber: 'BE' + enterpriseNumber(8_567_890),
  });
  const count = options.orders ?? 12;
  for (let i = 1; i <= count; i++) {
    const income = i % 3 !== 0;
    const ubl = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Invoice><cbc:ID>INV-${i}</cbc:ID></Invoice>`);
    const pdf = Buffer.from(`%PDF-1.4\n% invoice ${i}\n%%EOF\n`);
    addOrder(state, linked.partyId, {
      direction: income ? 'Income' : 'Cost',
      orderNumber: `${income ? 'V' : 'A'}2026-${String(i).padStart(4, '0')}`,
      orderDate: at(`2026-04-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00`),
      counterPartyId: income ? customer.partyId : supplier.partyId,
      lines: [{ description: `Brood en banket ${i}`, quantity: 1 + (i % 4), unitPriceExcl: 10 + i, vatPercentage: i % 2 ? 6 : 21 }],
      paymentReference: '+++090/9337/55493+++',
      ubl: { fileName: `INV-${i}.xml`, bytes: ubl },
      pdf: { fileName: `INV-${i}.pdf`, bytes: pdf },
      // Distinct, increasing LastModified values a minute apart.
      lastModified: new Date(Date.parse('2026-04-01T00:00:00Z') + i * 60_000),
    });
  }
  const firstOrders = [...state.orders.values()].slice(0, 3);
  for (const o of firstOrders) exportOrder(state, o.orderId);
  const codaBytes = Buffer.from(
    '0000001052620005        00000000  BAKKERIJ JANSSENS BV      BBRUBEBB   00412345676 00000                                       2\r\n',
    'latin1',
  );
  addCodaFile(state, linked.partyId, { fileName: 'BE68539007547034_2026-05-01.cod', bytes: codaBytes, iban: 'BE68539007547034' });
  return { state, linked, notLinked, notActivated, codaBytes };
}

export interface CheckedSimulator {
  sim: BillitSimulator;
  url: string;
  /** Replies that do not match the swagger (2xx) or the error body (others). */
  violations: string[];
  /** Swagger routes (`METHOD template`) that returned a validated 2xx body. */
  exercised: Set<string>;
  close(): Promise<void>;
}

/** Start a simulator whose every reply is checked against the swagger while the test runs. */
export async function startChecked(state: BillitSimState, options: { faults?: FaultRule[]; accessTokenTtlSeconds?: number } = {}): Promise<CheckedSimulator> {
  const swagger = loadSwagger();
  const sim = createBillitSimulator({ state, faults: options.faults, accessTokenTtlSeconds: options.accessTokenTtlSeconds });
  const violations: string[] = [];
  const exercised = new Set<string>();
  sim.observe(({ entry, route, response }) => {
    if (!route || route.tag !== 'swagger' || entry.outcome !== 'ok') return;
    const op = findOperation(swagger, entry.method, entry.path);
    if (!op) {
      violations.push(`${entry.method} ${entry.path}: not in the swagger`);
      return;
    }
    const status = entry.status;
    // What went over the wire (undefined fields are left out by JSON).
    const body = response.json === undefined ? undefined : JSON.parse(JSON.stringify(response.json));
    if (status >= 200 && status < 300) {
      const declared = op.operation.responses?.[String(status)];
      if (!declared) {
        violations.push(`${entry.method} ${op.template}: status ${status} not declared`);
        return;
      }
      if (declared.schema) {
        const errs = validate(swagger, declared.schema, body, { strict: true });
        if (errs.length) violations.push(`${entry.method} ${op.template}: ${errs.slice(0, 5).join('; ')}`);
      } else if (body !== undefined) {
        violations.push(`${entry.method} ${op.template}: a body where the swagger declares none`);
      }
      exercised.add(`${entry.method} ${op.template}`);
    } else {
      const errs = validate(swagger, ERROR_BODY_SCHEMA, body, { strict: true });
      if (errs.length) violations.push(`${entry.method} ${op.template} ${status}: ${errs.join('; ')}`);
    }
  });
  const { url } = await sim.start();
  return { sim, url, violations, exercised, close: () => sim.close() };
}

/** Requests in the log that are neither a swagger path + method nor the portal module's nor the browser page. */
export function nonSwaggerRequests(log: SimLogEntry[]): string[] {
  const swagger = loadSwagger();
  return log
    .filter((e) => !e.path.toLowerCase().startsWith(PORTAL_PREFIX.toLowerCase()))
    .filter((e) => !findOperation(swagger, e.method, e.path))
    .map((e) => `${e.method} ${e.path}`);
}

/** Timing that keeps retries instant and records what the client asked to wait. */
export function fastTiming(extra: Partial<NonNullable<BillitClientConfig['timing']>> = {}) {
  const waits: number[] = [];
  return {
    waits,
    timing: {
      timeoutMs: 1_000,
      retries: 4,
      baseDelayMs: 1,
      maxDelayMs: 4,
      sleep: async (ms: number) => {
        waits.push(ms);
        await new Promise((r) => setTimeout(r, Math.min(ms, 2)));
      },
      ...extra,
    },
  };
}

/** A logger that keeps the lines (as the file logger would write them: scrubbed). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string, ...d: unknown[]) =>
    lines.push(scrub(`[${level}] ${m} ${d.map((x) => (x instanceof Error ? x.message : JSON.stringify(x))).join(' ')}`));
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

export function apiKeyClient(url: string, world: World, extra: Partial<BillitClientConfig> = {}) {
  return createBillitClient({
    baseUrl: url,
    auth: { kind: 'api-key', apiKey: API_KEY },
    accountantPartyId: world.state.office.partyId,
    ...extra,
  });
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * One swagger-checked simulator per test: after each test, every reply it gave must have matched the
 * swagger and every request the client sent must be a swagger path and method.
 */
export function checkedSimulatorPerTest() {
  let running: CheckedSimulator | null = null;
  afterEach(async () => {
    if (running) {
      expect(running.violations).toEqual([]);
      expect(nonSwaggerRequests(running.sim.requestLog())).toEqual([]);
      await running.close();
    }
    running = null;
  });
  return {
    async start(...args: Parameters<typeof startChecked>): Promise<CheckedSimulator> {
      running = await startChecked(...args);
      return running;
    },
    get current(): CheckedSimulator | null {
      return running;
    },
  };
}
