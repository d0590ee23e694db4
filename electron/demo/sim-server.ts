import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { sleep } from '../core/lib/time';
import { seededRandom } from './seed/prng';

/**
 * A small real HTTP server on 127.0.0.1 for the demo office's simulators (Billit, Venice Cloud).
 *
 * - A route table: method + path pattern (`/v1/orders/{orderID}`, swagger style, matched case-insensitively)
 *   → handler.
 * - Fault injection per route from configuration: latency, 429 with Retry-After, 5xx, dropped connection,
 *   truncated body, a wrong SHA-256 (a hook: handlers that publish a hash call `ctx.sha256()`), and a
 *   successful reply reshaped (a field dropped, retyped or nested deeper).
 * - Deterministic fault schedules: the first N matching requests, the n-th requests, every k-th, or a seeded
 *   probability.
 * - A request log tests can read (method, path, status, headers with secrets replaced).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface SimRequest {
  readonly method: HttpMethod;
  /** Path without the query string, as sent (not decoded). */
  readonly path: string;
  readonly url: URL;
  readonly query: URLSearchParams;
  /** Path parameters from the route pattern, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The body parsed as JSON when it parses, else undefined. */
  readonly body: unknown;
  /** First value of a header, case-insensitive. */
  header(name: string): string | undefined;
}

export interface SimResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Serialised as JSON (`application/json; charset=utf-8`). Takes precedence over `body`. */
  json?: unknown;
  /** Sent as-is. */
  body?: string | Buffer;
}

export interface HandlerContext {
  /** The server's base URL, e.g. `http://127.0.0.1:51234` (for absolute links such as NextPageLink). */
  readonly baseUrl: string;
  /** The route that matched. */
  readonly route: SimRouteInfo;
  /** 1-based count of requests this route has received, including this one. */
  readonly routeRequestNumber: number;
  /**
   * SHA-256 (lower-case hex) of `bytes`, or a wrong one when a `wrong-sha256` fault applies to this request.
   * Handlers that publish a hash must use this so the fault can be injected.
   */
  sha256(bytes: Uint8Array): string;
  /** True when a `wrong-sha256` fault applies to this request. */
  readonly wrongSha256: boolean;
}

export type SimHandler = (req: SimRequest, ctx: HandlerContext) => SimResponse | Promise<SimResponse>;

export interface SimRoute {
  method: HttpMethod;
  /** `/v1/orders/{orderID}`; `{name}` matches one path segment. A trailing `/*` matches the rest. */
  pattern: string;
  handler: SimHandler;
  /** Free label, e.g. 'portal (modelled)'; shows in the route list. */
  tag?: string;
}

export interface SimRouteInfo {
  readonly method: HttpMethod;
  readonly pattern: string;
  readonly tag?: string;
  /** `METHOD pattern`, the key fault rules and the log use. */
  readonly id: string;
}

export type FaultKind =
  | 'latency'
  | 'rate-limit'
  | 'server-error'
  | 'drop-connection'
  | 'truncate-body'
  | 'wrong-sha256'
  | 'reshape-reply';

/** Which of the matching requests a fault applies to. Empty: every one. Several fields: any of them. */
export interface FaultSchedule {
  /** The first N matching requests (1..N). */
  first?: number;
  /** These 1-based request numbers. */
  nth?: number[];
  /** Every k-th matching request (k, 2k, …). */
  every?: number;
  /** Each matching request with this probability, drawn from a PRNG seeded with `seed` (deterministic). */
  probability?: number;
  seed?: number;
}

export interface FaultRule {
  kind: FaultKind;
  /**
   * Which requests: a route id (`GET /v1/orders/{orderID}`), a pattern alone (any method), a method alone
   * with `*` (`POST *`), or `*` for every route. Default `*`.
   */
  route?: string;
  schedule?: FaultSchedule;
  /** latency: delay before the handler runs. */
  latencyMs?: number;
  /** rate-limit: the Retry-After header in seconds (default 1). May be 0. */
  retryAfterSeconds?: number;
  /** server-error: the status (default 500). */
  status?: number;
  /**
   * drop-connection: 'before' the handler runs (nothing happens server-side) or 'after' it ran (the change
   * is made, the reply is lost). Default 'after', the harder case for clients.
   */
  when?: 'before' | 'after';
  /** Body for rate-limit / server-error replies; default from the server's `faultBody`. */
  json?: unknown;
  /** reshape-reply: what a successful JSON reply becomes (a field dropped, retyped or nested deeper). */
  reshape?: (json: unknown) => unknown;
}

export interface SimLogEntry {
  seq: number;
  time: string;
  method: string;
  /** Path without query string. */
  path: string;
  /** Query string without `?`, '' when none. */
  query: string;
  /** `METHOD pattern` of the route that matched, or null (404). */
  route: string | null;
  routeTag?: string;
  /** Status sent, or 0 when the connection was dropped before a status was sent. */
  status: number;
  /** Lower-case header names; secret headers replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** Faults applied to this request. */
  faults: FaultKind[];
  outcome: 'ok' | 'dropped' | 'truncated' | 'error';
  durationMs: number;
}

export interface SimServerOptions {
  name?: string;
  routes?: SimRoute[];
  faults?: FaultRule[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a random free port). */
  port?: number;
  /** Extra header names (case-insensitive) whose values never reach the log. */
  secretHeaders?: string[];
  /** Body for injected 429/5xx replies and for unmatched routes / handler crashes. */
  faultBody?: (status: number, code: string, description: string) => unknown;
  /** Max log entries kept (oldest dropped). Default 10 000. */
  logLimit?: number;
}

export interface SimServer {
  readonly name: string;
  /** Base URL once started ('' before). */
  readonly url: string;
  start(): Promise<{ url: string }>;
  close(): Promise<void>;
  addRoute(route: SimRoute): void;
  routes(): SimRouteInfo[];
  /** Replace / add / clear fault rules at run time (counters restart for replaced rules). */
  setFaults(rules: FaultRule[]): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** The request log (a copy). */
  requestLog(): SimLogEntry[];
  clearLog(): void;
  /** Called for every reply sent (after the log entry is written); for contract checks. Returns an unsubscribe. */
  observe(listener: SimObserver): () => void;
}

export type SimObserver = (event: {
  entry: SimLogEntry;
  route: SimRouteInfo | null;
  request: SimRequest;
  response: SimResponse;
}) => void;

const DEFAULT_SECRET_HEADERS = ['authorization', 'apikey', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];

interface CompiledRoute {
  info: SimRouteInfo;
  regex: RegExp;
  names: string[];
  handler: SimHandler;
  count: number;
}

interface ActiveRule {
  rule: FaultRule;
  count: number;
  random: () => number;
}

export function routeId(method: string, pattern: string): string {
  return `${method.toUpperCase()} ${pattern}`;
}

function compile(route: SimRoute): CompiledRoute {
  const names: string[] = [];
  let source = '';
  let rest = route.pattern;
  let tail = '';
  if (rest.endsWith('/*')) {
    rest = rest.slice(0, -2);
    tail = '(?:/.*)?';
  }
  for (const part of rest.split(/(\{[^}]+\})/)) {
    const m = /^\{([^}]+)\}$/.exec(part);
    if (m) {
      names.push(m[1]!);
      source += '([^/]+)';
    } else {
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return {
    info: { method: route.method, pattern: route.pattern, tag: route.tag, id: routeId(route.method, route.pattern) },
    regex: new RegExp(`^${source}${tail}/?$`, 'i'),
    names,
    handler: route.handler,
    count: 0,
  };
}

function ruleMatches(rule: FaultRule, route: SimRouteInfo): boolean {
  const target = (rule.route ?? '*').trim();
  if (target === '*') return true;
  const space = target.indexOf(' ');
  if (space > 0) {
    const method = target.slice(0, space).toUpperCase();
    const pattern = target.slice(space + 1).trim();
    return method === route.method && (pattern === '*' || pattern.toLowerCase() === route.pattern.toLowerCase());
  }
  return target.toLowerCase() === route.pattern.toLowerCase();
}

function scheduled(active: ActiveRule): boolean {
  const s = active.rule.schedule;
  const n = active.count;
  // Draw on every matching request so a seeded schedule is independent of the other fields.
  const draw = s?.probability !== undefined ? active.random() : 1;
  if (!s || (s.first === undefined && !s.nth && s.every === undefined && s.probability === undefined)) return true;
  if (s.first !== undefined && n <= s.first) return true;
  if (s.nth?.includes(n)) return true;
  if (s.every !== undefined && s.every > 0 && n % s.every === 0) return true;
  if (s.probability !== undefined && draw < s.probability) return true;
  return false;
}

function wrongHash(bytes: Uint8Array): string {
  const right = createHash('sha256').update(bytes).digest('hex');
  // Flip the first nibble: still 64 hex characters, never equal to the right one.
  const first = (parseInt(right[0]!, 16) ^ 0x8).toString(16);
  return first + right.slice(1);
}

const EMPTY = Buffer.alloc(0);

/**
 * A request target whose path and query a URL parser leaves exactly as they are: one leading slash, only
 * characters it never escapes, no dot segment (`/.`, `%2e`) to resolve, no backslash, no fragment. Anything
 * else goes through `new URL`.
 */
const PLAIN_TARGET = /^(?!.*(?:\/\.|%2e))\/(?!\/)[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*$/i;

/** The request body. Plain events, not `for await`: an async iterator per request costs more than the GETs' empty bodies. */
function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
    // A request cut off before its end: fail as the stream iterator did, so no handler waits forever.
    req.on('close', () => {
      if (!req.complete) reject(new Error('The request was aborted'));
    });
  });
}

function defaultFaultBody(_status: number, code: string, description: string): unknown {
  return { errors: [{ Code: code, Description: description }] };
}

export function createSimServer(options: SimServerOptions = {}): SimServer {
  const name = options.name ?? 'sim';
  const host = options.host ?? '127.0.0.1';
  const secret = new Set([...DEFAULT_SECRET_HEADERS, ...(options.secretHeaders ?? []).map((h) => h.toLowerCase())]);
  const faultBody = options.faultBody ?? defaultFaultBody;
  const logLimit = options.logLimit ?? 10_000;
  const compiled: CompiledRoute[] = (options.routes ?? []).map(compile);
  // The routes of each method, in table order (first match wins): a request only tries its own method's.
  const byMethod = new Map<string, CompiledRoute[]>();
  const index = (route: CompiledRoute) => {
    const list = byMethod.get(route.info.method);
    if (list) list.push(route);
    else byMethod.set(route.info.method, [route]);
  };
  compiled.forEach(index);
  let rules: ActiveRule[] = [];
  const log: SimLogEntry[] = [];
  const observers = new Set<SimObserver>();
  let seq = 0;
  let baseUrl = '';
  let server: http.Server | null = null;
  const sockets = new Set<Socket>();

  const activate = (rule: FaultRule): ActiveRule => ({ rule, count: 0, random: seededRandom(rule.schedule?.seed ?? 1) });
  const setFaults = (list: FaultRule[]) => {
    rules = list.map(activate);
  };
  setFaults(options.faults ?? []);

  function safeHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k in headers) {
      const v = headers[k];
      if (v === undefined) continue;
      out[k] = secret.has(k.toLowerCase()) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
    }
    return out;
  }

  // A ring once full: the newest entry replaces the oldest in place (dropping the oldest from the front of an
  // array shifted the whole log on every request). `oldest` is where the ring starts.
  let oldest = 0;
  function record(entry: SimLogEntry) {
    if (log.length < logLimit) log.push(entry);
    else if (logLimit > 0) {
      log[oldest] = entry;
      oldest = (oldest + 1) % logLimit;
    }
  }

  /** The log, oldest first. */
  const ordered = () => (oldest === 0 ? log : [...log.slice(oldest), ...log.slice(0, oldest)]);

  function find(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | null {
    for (const route of byMethod.get(method) ?? []) {
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => {
        const raw = m[i + 1] ?? '';
        try {
          params[n] = decodeURIComponent(raw);
        } catch {
          params[n] = raw;
        }
      });
      return { route, params };
    }
    return null;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const started = Date.now();
    const rawBody = await readBody(req);
    const target = req.url ?? '/';
    let parsed: URL | undefined;
    const url = () => (parsed ??= new URL(target, baseUrl || `http://${host}`));
    // A plain target's path and query are its own text: parse it as a URL only when a handler asks.
    const q = target.indexOf('?');
    const plain = PLAIN_TARGET.test(target);
    const path = plain ? (q < 0 ? target : target.slice(0, q)) : url().pathname;
    const search = plain ? (q < 0 ? '' : target.slice(q)) : url().search;
    const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    const entry: SimLogEntry = {
      seq: ++seq,
      time: new Date(started).toISOString(),
      method,
      path,
      query: search.slice(1),
      route: null,
      status: 0,
      headers: safeHeaders(req.headers),
      faults: [],
      outcome: 'ok',
      durationMs: 0,
    };
    const found = find(method, path);
    const simReq: SimRequest = {
      method,
      path,
      get url() {
        return url();
      },
      get query() {
        return url().searchParams;
      },
      params: found?.params ?? {},
      headers: req.headers,
      rawBody,
      body,
      header(n: string) {
        const v = req.headers[n.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
      },
    };

    const finish = (response: SimResponse, outcome: SimLogEntry['outcome'] = 'ok') => {
      entry.outcome = outcome;
      entry.durationMs = Date.now() - started;
      record(entry);
      for (const o of observers) {
        try {
          o({ entry, route: found?.route.info ?? null, request: simReq, response });
        } catch {
          // An observer never breaks the server.
        }
      }
    };

    const serialise = (response: SimResponse): { status: number; headers: Record<string, string>; payload: Buffer } => {
      const headers: Record<string, string> = { ...(response.headers ?? {}) };
      let payload: Buffer;
      if ('json' in response && response.json !== undefined) {
        payload = Buffer.from(JSON.stringify(response.json), 'utf8');
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          headers['Content-Type'] = 'application/json; charset=utf-8';
      } else if (response.body !== undefined) {
        payload = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8');
      } else {
        payload = Buffer.alloc(0);
      }
      headers['Content-Length'] = String(payload.length);
      return { status: response.status ?? 200, headers, payload };
    };

    const send = (response: SimResponse, truncate = false, outcome: SimLogEntry['outcome'] = 'ok') => {
      const { status, headers, payload } = serialise(response);
      entry.status = status;
      if (truncate) {
        res.writeHead(status, headers);
        res.write(payload.subarray(0, Math.floor(payload.length / 2)));
        // Let the partial body leave, then cut the connection short of Content-Length.
        setTimeout(() => req.socket.destroy(), 5);
        finish(response, 'truncated');
        return;
      }
      res.writeHead(status, headers);
      res.end(payload);
      finish(response, outcome);
    };

    const drop = (response: SimResponse) => {
      entry.status = 0;
      req.socket.destroy();
      finish(response, 'dropped');
    };

    if (!found) {
      send({ status: 404, json: faultBody(404, 'NotFound', `No route for ${method} ${path}`) });
      return;
    }

    const route = found.route;
    route.count += 1;
    entry.route = route.info.id;
    if (route.info.tag) entry.routeTag = route.info.tag;

    // Decide every matching rule for this request up front (each matching request advances each rule's count).
    const applying: FaultRule[] = [];
    for (const active of rules) {
      if (!ruleMatches(active.rule, route.info)) continue;
      active.count += 1;
      if (scheduled(active)) applying.push(active.rule);
    }
    entry.faults = applying.map((r) => r.kind);

    const latency = applying.filter((r) => r.kind === 'latency').reduce((t, r) => t + (r.latencyMs ?? 0), 0);
    // When the client gives up during the wait, the handler still runs, as a slow real server's would.
    if (latency > 0) await sleep(latency);

    const before = applying.find(
      (r) =>
        r.kind === 'rate-limit' ||
        r.kind === 'server-error' ||
        (r.kind === 'drop-connection' && r.when === 'before'),
    );
    if (before?.kind === 'rate-limit') {
      const seconds = before.retryAfterSeconds ?? 1;
      send({
        status: 429,
        headers: { 'Retry-After': String(seconds) },
        json: before.json ?? faultBody(429, 'TooManyRequests', 'Too many requests, retry later'),
      });
      return;
    }
    if (before?.kind === 'server-error') {
      const status = before.status ?? 500;
      send({ status, json: before.json ?? faultBody(status, 'InternalServerError', 'Simulated server error') });
      return;
    }
    if (before?.kind === 'drop-connection') {
      drop({});
      return;
    }

    const wrongSha256 = applying.some((r) => r.kind === 'wrong-sha256');
    const ctx: HandlerContext = {
      baseUrl,
      route: route.info,
      routeRequestNumber: route.count,
      wrongSha256,
      sha256: (bytes) => (wrongSha256 ? wrongHash(bytes) : createHash('sha256').update(bytes).digest('hex')),
    };

    let response: SimResponse;
    try {
      response = await route.handler(simReq, ctx);
    } catch (error) {
      send(
        { status: 500, json: faultBody(500, 'InternalServerError', `Handler failed: ${(error as Error).message}`) },
        false,
        'error',
      );
      return;
    }

    if (applying.some((r) => r.kind === 'drop-connection' && r.when !== 'before')) {
      drop(response);
      return;
    }
    for (const rule of applying) {
      if (rule.kind === 'reshape-reply' && rule.reshape && response.json !== undefined && (response.status ?? 200) < 300)
        response = { ...response, json: rule.reshape(response.json) };
    }
    send(response, applying.some((r) => r.kind === 'truncate-body'));
  }

  const api: SimServer = {
    name,
    get url() {
      return baseUrl;
    },
    async start() {
      if (server) return { url: baseUrl };
      const s = http.createServer((req, res) => {
        handle(req, res).catch(() => {
          if (!res.headersSent) {
            res.writeHead(500);
            res.end();
          } else req.socket.destroy();
        });
      });
      s.keepAliveTimeout = 5_000;
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(options.port ?? 0, host, () => resolve());
      });
      server = s;
      const { port } = s.address() as AddressInfo;
      baseUrl = `http://${host}:${port}`;
      return { url: baseUrl };
    },
    async close() {
      const s = server;
      if (!s) return;
      server = null;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        s.closeAllConnections?.();
      });
    },
    addRoute(route) {
      const c = compile(route);
      compiled.push(c);
      index(c);
    },
    routes() {
      return compiled.map((r) => r.info);
    },
    setFaults,
    addFault(rule) {
      rules.push(activate(rule));
    },
    clearFaults() {
      rules = [];
    },
    requestLog() {
      return ordered().map((e) => ({ ...e, headers: { ...e.headers }, faults: [...e.faults] }));
    },
    clearLog() {
      log.length = 0;
      oldest = 0;
    },
    observe(listener) {
      observers.add(listener);
      return () => observers.delete(listener);
    },
  };
  return api;
}
