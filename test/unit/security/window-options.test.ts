import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron/csp';
import { windowOptions } from '../../../electron/window-options';
import { repoRoot } from '../../support/repo';

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
  });

  const main = fs.readFileSync(path.join(repoRoot, 'electron/main.ts'), 'utf8');

  it('creates its window from those options only', () => {
    expect(main).toMatch(/new BrowserWindow\(windowOptions\(/);
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1);
  });

  it('denies navigation, new windows, webviews and permission requests', () => {
    expect(main).toMatch(/'will-navigate',\s*\(event\)\s*=>\s*event\.preventDefault\(\)/);
    expect(main).toMatch(/setWindowOpenHandler\([\s\S]*?action: 'deny'/);
    expect(main).toMatch(/'will-attach-webview',\s*\(event\)\s*=>\s*event\.preventDefault\(\)/);
    expect(main).toMatch(/setPermissionRequestHandler\(\(_wc, _permission, callback\) => callback\(false\)\)/);
  });

  it('serves the renderer with a CSP that allows no inline or remote script', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(main).toContain("headers.set('Content-Security-Policy', csp)");
  });

  it('answers IPC only from the trusted main frame', () => {
    const ipc = fs.readFileSync(path.join(repoRoot, 'electron/ipc.ts'), 'utf8');
    expect(ipc).toMatch(/if \(!isTrustedSender\(event, window\)\)/);
    expect(ipc).toMatch(/frame === window\.webContents\.mainFrame/);
  });
});
