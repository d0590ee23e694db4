import { describe, expect, it } from 'vitest';
import { deepLinkIn, deepLinkQueue, isDeepLink, protocolClientArgs } from '../../../electron/deep-link';

const callback = 'billit-venice-link://oauth/callback?code=abc&state=xyz';

describe('deep links: the OAuth redirect reaches the running app', () => {
  it('finds the link among a second launch\'s arguments, wherever Chromium put it', () => {
    // Windows: the exe, Chromium's own switches, then the URL the OS launched it with.
    expect(deepLinkIn(['C:\\Program Files\\Billit Venice Link\\Billit Venice Link.exe', '--allow-file-access-from-files', callback])).toBe(callback);
    expect(deepLinkIn(['/opt/app/billit-venice-link', callback, '--no-sandbox'])).toBe(callback);
    expect(deepLinkIn(['/opt/app/billit-venice-link'])).toBeNull();
  });

  it('takes only its own scheme, of a sane length', () => {
    expect(isDeepLink(callback)).toBe(true);
    expect(isDeepLink('BILLIT-VENICE-LINK://oauth/callback?code=1')).toBe(true);
    expect(isDeepLink('https://my.billit.be/callback?code=1')).toBe(false);
    expect(isDeepLink('billit-venice-link-evil://oauth/callback')).toBe(false);
    expect(isDeepLink('--billit-venice-link://x')).toBe(false);
    expect(isDeepLink(`billit-venice-link://oauth/callback?code=${'a'.repeat(5000)}`)).toBe(false);
  });

  it('registers the packaged app by scheme alone, and a development run with the app folder', () => {
    const resolve = (f: string) => `/abs/${f}`;
    expect(protocolClientArgs({ execPath: '/x/app', argv: ['/x/app'] }, resolve)).toEqual(['billit-venice-link']);
    expect(protocolClientArgs({ defaultApp: true, execPath: '/x/electron', argv: ['/x/electron', '.'] }, resolve)).toEqual([
      'billit-venice-link',
      '/x/electron',
      ['/abs/.'],
    ]);
  });

  it('keeps links that arrive before the core is ready and delivers them in order, then at once', async () => {
    const queue = deepLinkQueue();
    const got: string[] = [];
    queue.push(callback);
    queue.push(null);
    queue.push('https://elsewhere.example/');
    queue.push(`${callback}2`);
    expect(got).toEqual([]);
    queue.deliverTo(async (url) => void got.push(url));
    expect(got).toEqual([callback, `${callback}2`]);
    queue.push(`${callback}3`);
    expect(got).toEqual([callback, `${callback}2`, `${callback}3`]);
  });

  it('survives a handler that fails (a stale or forged callback)', async () => {
    const queue = deepLinkQueue();
    queue.deliverTo(() => Promise.reject(new Error('state does not match')));
    expect(() => queue.push(callback)).not.toThrow();
  });
});
