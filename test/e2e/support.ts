/**
 * What the desk's end-to-end tests share: the app on a fresh demo office in Chromium, screenshots at the
 * two window sizes accountants use, axe on every screen, and the console watched for errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { CoreConfig } from '../../electron/core';
import type { DemoOffice } from '../../electron/demo/office';
import { startApp, type RunningApp } from '../support/app-host';
import { launchChromium } from '../support/chromium';
import { repoRoot } from '../support/repo';

export interface Desk {
  app: RunningApp;
  browser: Browser;
  page: Page;
  /** Errors the page logged (CSP refusals, uncaught exceptions). */
  errors: string[];
  close(): Promise<void>;
}

export async function openDesk(options: { config?: Partial<CoreConfig<DemoOffice>>; locale?: string; firstRun?: boolean; width?: number; height?: number } = {}): Promise<Desk> {
  const app = await startApp({ syncOnStartup: false, ...options.config });
  if (!options.firstRun) await call(app, 'app.setup', { use: 'demo' });
  const browser = await launchChromium();
  const context = await browser.newContext({
    locale: options.locale ?? 'en-GB',
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  // A step that cannot happen fails in seconds, not after the default half minute.
  page.setDefaultTimeout(8_000);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(app.host.openUrl);
  return {
    app,
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      await app.stop();
    },
  };
}

/** A call straight to the core (to set the scene or check what the UI says). */
export async function call<T = unknown>(app: RunningApp, channel: string, input?: unknown): Promise<T> {
  const r = await app.core.call(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

const shotsDir = path.join(repoRoot, 'test-results', 'screens');

/** The screen at 1280×800 and 1440×900, as `test-results/screens/<name>-<w>x<h>.png`. */
export async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shotsDir, { recursive: true });
  const before = page.viewportSize()!;
  for (const [width, height] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: path.join(shotsDir, `${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize(before);
}

/** axe-core on the whole page: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, `axe on ${screen}`).toEqual([]);
}

/** Buttons of the page that are shown but lie (partly) outside the window, their table cell, or cut their own label. */
export async function buttonsOutsideViewport(page: Page, scope = 'main'): Promise<string[]> {
  return page.evaluate((selector) => {
    const width = window.innerWidth;
    const out: string[] = [];
    for (const b of document.querySelectorAll<HTMLElement>(`${selector} button`)) {
      const r = b.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      // Rows scrolled out of their list are not "shown"; what is shown must fit the window's width.
      const list = b.closest('.vtable, .results');
      if (list) {
        const box = list.getBoundingClientRect();
        if (r.bottom < box.top || r.top > box.bottom) continue;
      }
      const cell = b.closest('[role="gridcell"], td')?.getBoundingClientRect();
      // A long name may end in "…" when it carries its whole text as its title (shown on hover, and whole on focus).
      const named = b.classList.contains('truncate') && b.title === (b.textContent ?? '').trim();
      const clipped = (cell && (r.right > cell.right + 0.5 || r.left < cell.left - 0.5)) || (!named && b.scrollWidth > b.clientWidth + 1);
      if (r.left < 0 || r.right > width + 0.5 || clipped) out.push(`${(b.textContent ?? '').trim()} [${Math.round(r.left)}–${Math.round(r.right)}]`);
    }
    return out;
  }, scope);
}

/** How much of a canvas is drawn (not white or transparent), 0..1. */
export async function canvasInk(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector<HTMLCanvasElement>(sel);
    if (!canvas) return 0;
    const ctx = canvas.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200)) ink++;
    return ink / (data.length / 4);
  }, selector);
}
