/**
 * Updates through electron-updater, off unless the office configures where updates come from: the
 * `BVL_UPDATE_URL` environment variable (set by IT for every desk) or `update.json` in the data folder
 * (`{ "url": "https://…" }`). No feed, no update check: an office that deploys the app its own way is
 * never surprised by it. The feed is a generic HTTPS folder that holds electron-builder's `latest*.yml`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from './core/log';

const feedFile = z.object({ url: z.string() }).strip();

/** The configured feed, or null (updates off). Only HTTPS: an update is code the app will run. */
export function updateFeedUrl(env: Record<string, string | undefined>, fileText: string | null): string | null {
  let candidate = env.BVL_UPDATE_URL?.trim() || null;
  if (!candidate && fileText) {
    try {
      candidate = feedFile.parse(JSON.parse(fileText)).url.trim();
    } catch {
      return null;
    }
  }
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}

export function readUpdateFeed(dataDir: string, env = process.env): string | null {
  let text: string | null = null;
  try {
    text = fs.readFileSync(path.join(dataDir, 'update.json'), 'utf8');
  } catch {
    // no file: only the environment can turn updates on
  }
  return updateFeedUrl(env, text);
}

const SIX_HOURS = 6 * 3600_000;

/** Checks now and every six hours; a downloaded update is installed when the app quits. */
export async function startUpdates(feedUrl: string, log: Logger, onReady: (version: string) => void): Promise<() => void> {
  const { autoUpdater } = await import('electron-updater');
  autoUpdater.logger = { info: (m: unknown) => log.info(`updates: ${String(m)}`), warn: (m: unknown) => log.warn(`updates: ${String(m)}`), error: (m: unknown) => log.error(`updates: ${String(m)}`) };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl });
  autoUpdater.on('update-downloaded', (info: { version: string }) => onReady(info.version));
  const check = () => void autoUpdater.checkForUpdates().catch((error: unknown) => log.warn('update check failed', error));
  check();
  const timer = setInterval(check, SIX_HOURS);
  timer.unref();
  return () => clearInterval(timer);
}
