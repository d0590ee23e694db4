import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowState } from './window-state';

export const windowSize = { width: 1280, height: 820, minWidth: 960, minHeight: 600 };

/**
 * The window's security settings, kept in one exported object so a test can fail
 * the build if any of them is ever weakened; its size and place, restored (`window-state.ts`).
 */
export function windowOptions(preloadPath: string, bounds?: Omit<WindowState, 'maximized'>): BrowserWindowConstructorOptions {
  return {
    ...windowSize,
    ...(bounds ? { width: bounds.width, height: bounds.height } : {}),
    // Without a place, Electron centres the window on the primary screen.
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    show: false,
    title: 'Billit Venice Link',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}
