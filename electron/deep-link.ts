/**
 * The app's own URL scheme, which Billit's OAuth redirect comes back on
 * (`billit-venice-link://oauth/callback?code=…&state=…`). Windows and Linux hand such a link to a new
 * process as an argument (the single-instance lock then passes that process's arguments to the running
 * app); macOS sends `open-url`. Links that arrive before the core is ready wait for it.
 */
export const deepLinkScheme = 'billit-venice-link';

/** A link of the app's scheme, of a sane length; the core checks the rest (path, state, code). */
export function isDeepLink(value: string): boolean {
  if (value.length > 4096 || !value.toLowerCase().startsWith(`${deepLinkScheme}:`)) return false;
  try {
    return new URL(value).protocol === `${deepLinkScheme}:`;
  } catch {
    return false;
  }
}

/** The link among a launch's arguments (Chromium may add switches of its own around it). */
export function deepLinkIn(argv: readonly string[]): string | null {
  return argv.find(isDeepLink) ?? null;
}

/**
 * What `app.setAsDefaultProtocolClient` needs: the scheme alone for the packaged app; in development the
 * Electron binary must be told which app folder to run.
 */
export function protocolClientArgs(p: { defaultApp?: boolean; execPath: string; argv: readonly string[] }, resolve: (file: string) => string): [string] | [string, string, string[]] {
  if (p.defaultApp && p.argv.length >= 2) return [deepLinkScheme, p.execPath, [resolve(p.argv[1]!)]];
  return [deepLinkScheme];
}

/** Links that arrive before the core can take them are kept (in order) and delivered once it can. */
export function deepLinkQueue(): { push(url: string | null): void; deliverTo(handler: (url: string) => Promise<void>): void } {
  const waiting: string[] = [];
  let handler: ((url: string) => Promise<void>) | null = null;
  const deliver = (url: string) => void handler!(url).catch(() => undefined);
  return {
    push(url) {
      if (!url || !isDeepLink(url)) return;
      if (handler) deliver(url);
      else if (waiting.length < 8) waiting.push(url);
    },
    deliverTo(h) {
      handler = h;
      for (const url of waiting.splice(0)) deliver(url);
    },
  };
}
