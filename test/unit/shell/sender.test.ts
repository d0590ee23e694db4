import { describe, expect, it } from 'vitest';
import { isAppUrl, isTrustedSender } from '../../../electron/sender';

/**
 * Electron's main process runs Node's URL: for the app's own scheme (not one the URL standard knows)
 * `origin` is the string "null", whatever Chromium registered. The check must not rely on it.
 */
describe('the Electron host answers only its own page', () => {
  it('does not rely on origin, which is "null" for app:// in Node', () => {
    expect(new URL('app://renderer/index.html').origin).toBe('null');
    expect(isAppUrl('app://renderer/index.html')).toBe(true);
    expect(isAppUrl('app://renderer/')).toBe(true);
    expect(isAppUrl('app://renderer/dossiers?x=1#top')).toBe(true);
  });

  it.each([
    'app://renderer.evil/index.html',
    'app://evil/index.html',
    'app://user@renderer/index.html',
    'app://renderer:8080/index.html',
    'https://renderer/index.html',
    'file:///app/out/renderer/index.html',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'null',
    '',
  ])('refuses %j', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  // The shapes Electron documents: event.sender is the WebContents, event.senderFrame its WebFrameMain or
  // null when the frame navigated away or was destroyed; webContents.mainFrame is the top frame.
  const mainFrame = { url: 'app://renderer/index.html' };
  const window = { webContents: { mainFrame } };

  it('accepts the window\'s own main frame on the app page', () => {
    expect(isTrustedSender({ sender: window.webContents, senderFrame: mainFrame }, window)).toBe(true);
  });

  it('refuses another window, a subframe, a frame gone, and the main frame on another page', () => {
    const other = { webContents: { mainFrame: { url: 'app://renderer/index.html' } } };
    expect(isTrustedSender({ sender: other.webContents, senderFrame: other.webContents.mainFrame }, window)).toBe(false);
    expect(isTrustedSender({ sender: window.webContents, senderFrame: { url: 'app://renderer/index.html' } }, window)).toBe(false);
    expect(isTrustedSender({ sender: window.webContents, senderFrame: null }, window)).toBe(false);
    const navigated = { url: 'https://example.com/' };
    const moved = { webContents: { mainFrame: navigated } };
    expect(isTrustedSender({ sender: moved.webContents, senderFrame: navigated }, moved)).toBe(false);
  });
});
