/**
 * `npm run bench -- ui [--quick]`: the desk in Chromium on a dossier of 100,000 documents (10,000 with
 * --quick), against the real core through the web host. Prints:
 * - first page painted after its data arrived (target ≤ 300 ms),
 * - the longest main-thread task while scrolling the list from top to bottom, paging in from the Node
 *   side as it goes (target: none > 50 ms),
 * - search results shown after the last keystroke, in Ctrl+K and in the dossier's own filter
 *   (target ≤ 100 ms);
 * each with the same figure on a 100-document dossier measured in the same run, and the ratio, so the
 * figures survive a loaded machine.
 */
import { asBillitPartyId } from '../../shared/api/ids';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openCache, type DocumentInput } from '../../electron/core/cache';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { startApp } from '../support/app-host';
import { demoOffice } from '../../electron/demo/office';
import { seededRandom } from '../../electron/demo/seed/prng';

const BIG = 'BENCH-BIG';
const SMALL = 'BENCH-SMALL';

const names = ['Boulangerie Dupont', 'Garage Peeters', 'Brasserie Maes', 'Atelier Jacobs', 'Bouwbedrijf Mertens', 'Cabinet Willems', 'Transport Claes', 'Drukkerij Wouters'];

async function seed(dataDir: string, big: number): Promise<{ bigNumber: string; smallNumber: string }> {
  const cache = openCache(path.join(dataDir, 'cache.sqlite'));
  const random = seededRandom(7);
  const { ids } = await cache.dossiers.upsertMany([
    { veniceId: BIG, name: 'Groothandel Bench NV', enterpriseNumber: '0403170701', email: 'boekhouding@bench.be', linkState: 'linked', billitPartyId: asBillitPartyId(900001) },
    { veniceId: SMALL, name: 'Kleine Bench BV', enterpriseNumber: '0403199702', email: 'info@kleinebench.be', linkState: 'linked', billitPartyId: asBillitPartyId(900002) },
  ]);
  const put = async (dossierId: number, count: number, prefix: string) => {
    for (let start = 0; start < count; start += 5_000) {
      const rows: DocumentInput[] = [];
      for (let i = start; i < Math.min(count, start + 5_000); i++) {
        const excl = 500 + Math.floor(random() * 2_000_000);
        const vat = Math.round(excl * 0.21);
        const day = new Date(Date.UTC(2019, 0, 1) + Math.floor((i / count) * 7 * 365) * 86_400_000).toISOString().slice(0, 10);
        rows.push({
          dossierId,
          source: 'billit-order',
          sourceId: `${prefix}-${i}`,
          kind: 'invoice',
          direction: 'sales',
          number: `${prefix}-${String(i + 1).padStart(7, '0')}`,
          issueDate: day,
          dueDate: day,
          seller: { name: 'Groothandel Bench NV', enterpriseNumber: '0403170701' },
          buyer: { name: `${names[i % names.length]} ${1 + (i % 997)}` },
          currency: 'EUR',
          totalExclCents: excl,
          totalVatCents: vat,
          totalInclCents: excl + vat,
          status: 'exported',
          validation: 'ok',
        });
      }
      await cache.documents.putMany(rows);
    }
  };
  await put(ids[0]!, big, 'VF');
  await put(ids[1]!, 100, 'KV');
  await cache.close();
  return { bigNumber: `VF-${String(Math.floor(big * 0.73)).padStart(7, '0')}`, smallNumber: 'KV-0000042' };
}

/** Timestamps the page keeps: when a page of documents arrived, long tasks, the last keystroke. */
const instrument = `
  window.__bench = { listAt: 0, longTasks: [], keyAt: 0 };
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (m) => {
        if (typeof m.data === 'string' && m.data.includes('"totalIncl"') && m.data.includes('"items"')) window.__bench.listAt = performance.now();
      });
    }
  };
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  addEventListener('keydown', () => { window.__bench.keyAt = performance.now(); }, true);
`;

const nextPaint = `new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)))`;

async function openDossier(page: Page, name: string): Promise<number> {
  await page.getByRole('navigation').getByRole('button', { name: 'Dossiers', exact: true }).click();
  await page.getByRole('button', { name, exact: true }).waitFor();
  await page.evaluate(() => ((window as unknown as { __bench: { listAt: number } }).__bench.listAt = 0));
  await page.getByRole('button', { name, exact: true }).click();
  // From the moment the first page of documents arrived to the frame that shows its rows.
  return page.evaluate(`new Promise((resolve) => {
    const done = () => ${nextPaint}.then((t) => resolve(t - window.__bench.listAt));
    const ready = () => window.__bench.listAt > 0 && document.querySelector('[data-testid="document-list"] .vtable-row');
    if (ready()) return done();
    const watch = new MutationObserver(() => { if (ready()) { watch.disconnect(); done(); } });
    watch.observe(document.body, { childList: true, subtree: true });
  })`);
}

/**
 * Scroll the list a screen per frame to its last row, letting pages arrive from the Node side (or, `up`,
 * back to the first row with every row already there); returns long tasks and time.
 */
async function scroll(page: Page, total: number, direction: 'down' | 'up'): Promise<{ longest: number; over50: number; ms: number }> {
  await page.evaluate(() => ((window as unknown as { __bench: { longTasks: number[] } }).__bench.longTasks = []));
  const started = Date.now();
  await page.evaluate(`new Promise((resolve) => {
    const list = document.querySelector('[data-testid="document-list"]');
    const step = () => {
      const rows = Number(list.getAttribute('aria-rowcount')) - 1;
      if ('${direction}' === 'up') {
        if (list.scrollTop <= 0) return resolve();
        list.scrollTop -= list.clientHeight;
        return requestAnimationFrame(step);
      }
      const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 2;
      if (atEnd && rows >= ${total}) return resolve();
      if (!atEnd) list.scrollTop += list.clientHeight;
      requestAnimationFrame(step);
    };
    step();
  })`);
  const tasks = await page.evaluate(() => (window as unknown as { __bench: { longTasks: number[] } }).__bench.longTasks);
  return { longest: Math.round(Math.max(0, ...tasks)), over50: tasks.filter((t) => t > 50).length, ms: Date.now() - started };
}

async function searchEverywhere(page: Page, text: string): Promise<number> {
  await page.keyboard.press('Control+k');
  const dialog = page.getByTestId('search-dialog');
  await dialog.waitFor();
  await page.keyboard.type(text, { delay: 40 });
  const ms = await page.evaluate(`new Promise((resolve) => {
    const found = () => [...document.querySelectorAll('[data-testid="search-dialog"] [role="option"]')].some((o) => o.textContent.includes(${JSON.stringify(text)}));
    const done = () => ${nextPaint}.then((t) => resolve(t - window.__bench.keyAt));
    if (found()) return done();
    const watch = new MutationObserver(() => { if (found()) { watch.disconnect(); done(); } });
    watch.observe(document.body, { childList: true, subtree: true, characterData: true });
  })`);
  await page.keyboard.press('Escape');
  return ms as number;
}

async function filterList(page: Page, text: string): Promise<number> {
  const field = page.getByLabel('Search number, party, amount');
  await field.fill('');
  await page.waitForTimeout(300);
  await field.focus();
  await page.keyboard.type(text, { delay: 40 });
  const ms = await page.evaluate(`new Promise((resolve) => {
    const found = () => { const rows = document.querySelectorAll('[data-testid="document-list"] .vtable-row'); return rows.length === 1 && rows[0].textContent.includes(${JSON.stringify(text)}); };
    const done = () => ${nextPaint}.then((t) => resolve(t - window.__bench.keyAt));
    if (found()) return done();
    const watch = new MutationObserver(() => { if (found()) { watch.disconnect(); done(); } });
    watch.observe(document.body, { childList: true, subtree: true, characterData: true });
  })`);
  await field.fill('');
  return ms as number;
}

const fmt = (ms: number) => `${Math.round(ms)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '—');

export default async function run(args: string[]) {
  const missing = chromiumMissing();
  if (missing) {
    console.log(`bench ui needs Chromium: ${missing}`);
    return;
  }
  const big = args.includes('--quick') ? 10_000 : 100_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-bench-ui-'));
  const seeded = Date.now();
  const { bigNumber, smallNumber } = await seed(dataDir, big);
  console.log(`cache: ${big.toLocaleString('en')} documents in one dossier, 100 in another (${((Date.now() - seeded) / 1000).toFixed(1)} s to write)`);

  const app = await startApp({ dataDir, syncOnStartup: false, demo: demoOffice({ seed: 1, dossiers: 2, invoicesPerDossier: 1 }) });
  const browser = await launchChromium();
  try {
    const r = await app.core.call('app.setup', { use: 'demo' });
    if (!r.ok) throw new Error(r.error.message);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    await page.goto(app.host.openUrl);

    // Warm up (the bundle, the cache's pages), then measure each dossier.
    await openDossier(page, 'Kleine Bench BV');
    const smallPaint = await openDossier(page, 'Kleine Bench BV');
    const bigPaint = await openDossier(page, 'Groothandel Bench NV');
    console.log(`first page painted after its data: ${fmt(bigPaint)} (100-document dossier ${fmt(smallPaint)}, ${ratio(bigPaint, smallPaint)}; target ≤ 300 ms)`);

    const tasks = (s: { longest: number; over50: number }) => (s.over50 ? `longest task ${fmt(s.longest)}, ${s.over50} over 50 ms` : 'no task over 50 ms');
    await openDossier(page, 'Kleine Bench BV');
    const smallScroll = await scroll(page, 100, 'down');
    await openDossier(page, 'Groothandel Bench NV');
    const down = await scroll(page, big, 'down');
    const up = await scroll(page, big, 'up');
    console.log(
      `scrolling top to bottom, a screen a frame (${big.toLocaleString('en')} rows paged in from the Node side, ${(down.ms / 1000).toFixed(1)} s): ${tasks(down)}; ` +
        `back up with every row loaded (${(up.ms / 1000).toFixed(1)} s): ${tasks(up)}; 100-document dossier: ${tasks(smallScroll)} (target: none > 50 ms)`,
    );

    await searchEverywhere(page, smallNumber);
    const smallSearch = await searchEverywhere(page, smallNumber);
    const bigSearch = await searchEverywhere(page, bigNumber);
    console.log(`Ctrl+K results after the last keystroke: ${fmt(bigSearch)} (a hit in the 100-document dossier ${fmt(smallSearch)}, ${ratio(bigSearch, smallSearch)}; target ≤ 100 ms)`);

    await openDossier(page, 'Kleine Bench BV');
    const smallFilter = await filterList(page, smallNumber);
    await openDossier(page, 'Groothandel Bench NV');
    const bigFilter = await filterList(page, bigNumber);
    console.log(`dossier filter results after the last keystroke: ${fmt(bigFilter)} (100-document dossier ${fmt(smallFilter)}, ${ratio(bigFilter, smallFilter)}; target ≤ 100 ms)`);
  } finally {
    await browser.close();
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
