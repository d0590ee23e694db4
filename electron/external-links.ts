/**
 * Which pages the app may open in the system browser. The renderer asks with `window.open(url)`; the
 * window's open handler denies every new window and hands only these to `shell.openExternal`: Billit's and
 * Venice's sites over HTTPS (Billit's OAuth authorisation page is on `my.billit.be`), and, in the demo
 * office, the simulator's own authorisation page on loopback. Anything else (other hosts, look-alike hosts,
 * `file:`, `javascript:`, credentials in the URL, odd ports) is refused and logged.
 */
const allowedDomains = ['billit.be', 'billit.eu', 'venice.be', 'venice.unit4.com'];

/** A host that is one of the domains or a subdomain of one (not `billit.be.example.com`, not `evilbillit.be`). */
function isAllowedHost(hostname: string): boolean {
  return allowedDomains.some((d) => hostname === d || hostname.endsWith('.' + d));
}

export interface ExternalLinkPolicy {
  /** Exact authorisation pages also allowed (the demo office's loopback OAuth page), as absolute URLs. */
  authorisationPages?: readonly string[];
}

export function isAllowedExternal(url: string, policy: ExternalLinkPolicy = {}): boolean {
  if (url.length > 8192) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  for (const page of policy.authorisationPages ?? []) {
    const allowed = new URL(page);
    if (parsed.origin === allowed.origin && parsed.pathname === allowed.pathname) return true;
  }
  return parsed.protocol === 'https:' && parsed.port === '' && isAllowedHost(parsed.hostname);
}
