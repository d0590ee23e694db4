/**
 * The `app://renderer/` protocol: the built renderer served from its folder, with the CSP as a real
 * header. Which file a request names is worked out here, without Electron, so the refusals (other hosts,
 * `..` in any encoding, backslashes that Windows takes for separators, NUL, broken percent-encoding) are
 * tested under Node with each platform's path rules.
 */
import path from 'node:path';
import { isAppUrl } from './sender';

type PathApi = Pick<typeof path, 'resolve' | 'sep'>;

/** The file a request for the renderer names, or null when it names nothing the app serves. */
export function rendererFile(rendererDir: string, requestUrl: string, paths: PathApi = path): string | null {
  if (!isAppUrl(requestUrl)) return null;
  const { pathname } = new URL(requestUrl);
  let rel: string;
  try {
    rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return null; // broken percent-encoding
  }
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').some((segment) => segment === '..')) return null;
  const root = paths.resolve(rendererDir);
  const file = paths.resolve(root, '.' + rel);
  return file.startsWith(root + paths.sep) ? file : null;
}

export interface ServeRendererOptions {
  rendererDir: string;
  csp: string;
  /** Reads a file as a response with its content type (Electron: `net.fetch` of its file: URL). */
  fetchFile(file: string): Promise<Response>;
  paths?: PathApi;
}

/** The handler `protocol.handle('app', …)` is given. */
export function serveRenderer(options: ServeRendererOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = rendererFile(options.rendererDir, request.url, options.paths);
    if (!file || request.method !== 'GET') return new Response('Not found', { status: 404 });
    let response: Response;
    try {
      response = await options.fetchFile(file);
    } catch {
      return new Response('Not found', { status: 404 }); // no such file (net.fetch rejects)
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', options.csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  };
}
