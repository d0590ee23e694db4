import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron/csp';
import { windowOptions } from '../../../electron/window-options';

// The locks themselves (navigation, new windows, webviews, permissions, the sender check, the CSP header)
// are checked on the built main process in test/integration/shell/bundle.test.ts.
describe('Electron window security', () => {
  const prefs = windowOptions('/x/preload.cjs').webPreferences!;

  it('keeps the renderer isolated, sandboxed and without Node', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/x/preload.cjs');
  });

  it('has a CSP that allows no inline or remote script', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });
});
