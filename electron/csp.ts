/**
 * One Content-Security-Policy for both hosts. Scripts and styles only from the app
 * itself; the only connection allowed beyond the app is the web host's own socket.
 * The PDF viewer's worker is one of the app's own files (worker-src 'self'); nothing in
 * a PDF is evaluated (pdf.js runs with isEvalSupported off).
 */
export function contentSecurityPolicy(socketOrigin?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "worker-src 'self'",
    `connect-src 'self'${socketOrigin ? ' ' + socketOrigin : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
