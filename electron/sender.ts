/**
 * Who may talk to the Electron host: the app's own main frame showing the app's own page. Pure, so that
 * it is tested under Node with the shapes Electron documents (`event.sender`, `event.senderFrame`,
 * `webContents.mainFrame`).
 */
export const appScheme = 'app';
export const appHost = 'renderer';
export const appOrigin = `${appScheme}://${appHost}`;

/**
 * Whether a URL is one of the app's own pages. Not by `new URL(url).origin`: for a scheme the URL standard
 * does not know (`app:`), that origin is the string "null" in Node, and so in Electron's main process,
 * whatever Chromium registered. Scheme and host are what identify the app's pages.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '';
}

/** The parts of an IPC event and a window the check reads (Electron's `IpcMainEvent` / `BrowserWindow`). */
export interface SenderEvent {
  sender: unknown;
  senderFrame: { url: string } | null;
}
export interface TrustedWindow {
  webContents: { mainFrame: unknown };
}

/**
 * A message is trusted when it comes from this window's web contents, from its main frame (not an iframe),
 * and that frame shows the app's own page. `senderFrame` is null once the frame navigated or was destroyed.
 */
export function isTrustedSender(event: SenderEvent, window: TrustedWindow): boolean {
  const frame = event.senderFrame;
  return event.sender === window.webContents && frame !== null && frame === window.webContents.mainFrame && isAppUrl(frame.url);
}
