import http from 'node:http';
import https from 'node:https';

/**
 * A `fetch` for ky on top of node:http(s) with keep-alive agents. Node's global fetch spends more CPU per
 * request than the request itself costs on a LAN (Request/Headers validation, web streams both ways); a
 * sync of hundreds of thousands of small JSON replies is bound by exactly that. Only what ky and our
 * transports use is supported: method, headers, a buffered body, abort, status, headers and a buffered
 * reply body. Failures reject like undici's fetch does (a TypeError whose `cause` carries the code), so
 * callers classify network errors the same way.
 *
 * The reply is a buffered stand-in for a Response (status, ok, headers, text/json/arrayBuffer/bytes), not a
 * web-stream Response: building one costs as much as the rest of the request. Its headers become a real
 * `Headers` only when read.
 */

export interface NodeFetchOptions {
  /** Sockets per origin kept open and used at once. */
  maxSockets?: number;
}

/**
 * Passed in ky's options (ky hands options it does not know to `fetch`): the one signal that ends this
 * attempt. Giving ky a `signal` instead makes it combine signals with `AbortSignal.any` on every request.
 */
export interface AbortInit {
  abortSignal?: AbortSignal;
}

/** What the stand-in offers of a Response. */
class BufferedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  readonly body = null;
  private headerCache: Headers | null = null;
  private used = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly url: string,
    private readonly rawHeaders: string[],
    private readonly bytes_: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  get headers(): Headers {
    if (!this.headerCache) {
      const headers = new Headers();
      for (let i = 0; i + 1 < this.rawHeaders.length; i += 2) headers.append(this.rawHeaders[i]!, this.rawHeaders[i + 1]!);
      this.headerCache = headers;
    }
    return this.headerCache;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  private take(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes_;
  }

  async text(): Promise<string> {
    return this.take().toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.take());
  }
  clone(): BufferedResponse {
    if (this.used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.status, this.statusText, this.url, this.rawHeaders, this.bytes_);
  }
}

export function createNodeFetch(options: NodeFetchOptions = {}): typeof globalThis.fetch {
  const agentOptions = { keepAlive: true, keepAliveMsecs: 1_000, maxSockets: options.maxSockets ?? 32, maxFreeSockets: options.maxSockets ?? 32, scheduling: 'lifo' as const };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  async function nodeFetch(input: RequestInfo | URL, init?: RequestInit & AbortInit): Promise<Response> {
    // ky always hands a Request; anything else is made into one so there is a single way to read it.
    const request = input instanceof Request ? input : new Request(input, init);
    const url = request.url;
    const signal = init?.abortSignal ?? init?.signal ?? request.signal;
    signal?.throwIfAborted();
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
    if (body) headers['content-length'] = String(body.length);
    const secure = url.startsWith('https:');

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      const onAbort = () => {
        req.destroy();
        fail(signal!.reason ?? new DOMException('This operation was aborted', 'AbortError'));
      };
      const req = (secure ? https : http).request(url, { method: request.method, headers, agent: secure ? httpsAgent : httpAgent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(new TypeError('fetch failed', { cause: error })));
        res.on('aborted', () => fail(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          const reply = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          resolve(new BufferedResponse(res.statusCode ?? 0, res.statusMessage ?? '', url, res.rawHeaders, reply) as unknown as Response);
        });
      });
      req.on('error', (error) => fail(new TypeError('fetch failed', { cause: error })));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end(body ?? undefined);
    });
  }
  return nodeFetch as typeof globalThis.fetch;
}
