import http from 'node:http';
import https from 'node:https';

/**
 * A `fetch` for ky on top of node:http(s) with keep-alive agents. Node's global fetch spends more CPU per
 * request than the request itself costs on a LAN (Request/Headers validation, web streams both ways); a
 * sync of hundreds of thousands of small JSON replies is bound by exactly that. Only what ky and our
 * transports use is supported: method, headers, a buffered body, abort, status, headers and a buffered
 * reply body. Failures reject like undici's fetch does (a TypeError whose `cause` carries the code), so
 * callers classify network errors the same way.
 */

export interface NodeFetchOptions {
  /** Sockets per origin kept open and used at once. */
  maxSockets?: number;
}

export function createNodeFetch(options: NodeFetchOptions = {}): typeof globalThis.fetch {
  const agentOptions = { keepAlive: true, keepAliveMsecs: 1_000, maxSockets: options.maxSockets ?? 32, maxFreeSockets: options.maxSockets ?? 32, scheduling: 'lifo' as const };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  return async function nodeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request ? input : new Request(input, init);
    const signal = init?.signal ?? request.signal;
    signal?.throwIfAborted();
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
    if (body) headers['content-length'] = String(body.length);
    const secure = url.protocol === 'https:';

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
      const req = (secure ? https : http).request(
        url,
        { method: request.method, headers, agent: secure ? httpsAgent : httpAgent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => fail(new TypeError('fetch failed', { cause: error })));
          res.on('aborted', () => fail(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            const replyHeaders = new Headers();
            const raw = res.rawHeaders;
            for (let i = 0; i + 1 < raw.length; i += 2) replyHeaders.append(raw[i]!, raw[i + 1]!);
            const status = res.statusCode ?? 0;
            // A null-body status may not carry a body in a Response, even an empty one.
            const nullBody = status === 101 || status === 204 || status === 205 || status === 304;
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: replyHeaders }));
          });
        },
      );
      req.on('error', (error) => fail(new TypeError('fetch failed', { cause: error })));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end(body ?? undefined);
    });
  };
}
