import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { SyncRunSummary } from '../../../shared/api';
import { applicationMenu, billitSite, lastRunLabel, trayMenu, veniceSite, type MenuActions, type ShellState } from '../../../electron/menus';
import { shellLanguage, shellTexts } from '../../../electron/shell-texts';
import { linkNotices, syncNotice } from '../../../electron/notices';
import { formatDateTime } from '../../../shared/format';

const languages = ['fr', 'nl', 'en'] as const;
const platforms = ['win32', 'darwin', 'linux'] as const;

function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    showWindow: () => calls.push('show'),
    syncNow: () => calls.push('sync'),
    openLogs: () => calls.push('logs'),
    openExternal: (url) => calls.push(`open ${url}`),
    setStartAtLogin: (on) => calls.push(`login ${on}`),
    quit: () => calls.push('quit'),
  };
  return { calls, actions };
}

const state = (o: Partial<ShellState> = {}): ShellState => ({
  platform: 'win32',
  appName: 'Billit Venice Link',
  packaged: true,
  startAtLogin: false,
  running: null,
  lastRun: null,
  ...o,
});

function items(menu: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return menu.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}
const byId = (menu: MenuItemConstructorOptions[], id: string) => items(menu).find((i) => i.id === id);
const click = (item: MenuItemConstructorOptions | undefined, checked = false) =>
  (item!.click as unknown as (i: { checked: boolean }) => void)({ checked });

const run: SyncRunSummary = {
  runId: '7',
  trigger: 'manual',
  startedAt: '2026-03-02T13:00:00.000Z',
  finishedAt: '2026-03-02T13:05:00.000Z',
  status: 'done',
  documents: 1234,
  statements: 56,
  exported: 1290,
  errors: 2,
};

/** Words the same in English and the other language, so not a sign of a missing translation. */
/** The app's Belgian date-time format (the renderer's too): 2 March 2026, 14:05 in Brussels. */
const at = (l: 'fr' | 'nl' | 'en') => formatDateTime(l, '2026-03-02T13:05:00.000Z');

const sameInBothLanguages = new Set(['Help', 'Zoom', 'documents', 'Billit Venice Link']);

describe('application and tray menus in French, Dutch and English', () => {
  it('has every text in every language, and French and Dutch texts that are not the English ones', () => {
    const flat = (o: object, prefix = ''): Array<[string, string]> =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v] as [string, string]] : flat(v as object, `${prefix}${k}.`)));
    const en = new Map(flat(shellTexts.en));
    for (const language of ['fr', 'nl'] as const) {
      const texts = new Map(flat(shellTexts[language]));
      expect([...texts.keys()].sort()).toEqual([...en.keys()].sort());
      for (const [key, text] of texts) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
        if (!sameInBothLanguages.has(text)) expect(text, `${language} ${key} is the English text`).not.toBe(en.get(key));
        // Every placeholder of the English text is kept.
        for (const p of en.get(key)!.match(/\{\w+\}/g) ?? []) expect(text, `${language} ${key}`).toContain(p);
      }
    }
  });

  it.each(languages.flatMap((l) => platforms.map((p) => [l, p] as const)))('gives every item a label in %s on %s (Electron\'s role labels are English)', (language, platform) => {
    const { actions } = recorder();
    const all = items(applicationMenu(language, state({ platform, startAtLogin: platform === 'linux' ? null : false }), actions));
    for (const item of all) if (item.type !== 'separator') expect(item.label, JSON.stringify(item.role ?? item.id)).toBeTruthy();
    if (language !== 'en') {
      const english = new Set(items(applicationMenu('en', state({ platform }), actions)).map((i) => i.label));
      const leaked = all.map((i) => i.label).filter((l): l is string => !!l && english.has(l) && !sameInBothLanguages.has(l));
      expect(leaked).toEqual([]);
    }
  });

  it('offers Sync now, Open logs, the two sites and Quit, each doing what it says', () => {
    const { calls, actions } = recorder();
    const menu = applicationMenu('fr', state(), actions);
    expect(byId(menu, 'sync-now')).toMatchObject({ label: 'Synchroniser maintenant', enabled: true, accelerator: 'F5' });
    click(byId(menu, 'sync-now'));
    click(byId(menu, 'open-logs'));
    click(byId(menu, 'billit-site'));
    click(byId(menu, 'venice-site'));
    click(byId(menu, 'quit'));
    expect(calls).toEqual(['sync', 'logs', `open ${billitSite}`, `open ${veniceSite}`, 'quit']);
  });

  it('puts the app menu first on macOS only, with Quit there', () => {
    const { actions } = recorder();
    expect(applicationMenu('nl', state({ platform: 'darwin' }), actions)[0]!.label).toBe('Billit Venice Link');
    expect(applicationMenu('nl', state({ platform: 'win32' }), actions)[0]!.label).toBe('Bestand');
    expect(byId(applicationMenu('nl', state({ platform: 'darwin' }), actions), 'quit')!.label).toBe('Billit Venice Link afsluiten');
  });

  it('keeps Reload out of the packaged app', () => {
    const { actions } = recorder();
    expect(items(applicationMenu('en', state({ packaged: true }), actions)).some((i) => i.role === 'reload')).toBe(false);
    expect(items(applicationMenu('en', state({ packaged: false }), actions)).some((i) => i.role === 'reload')).toBe(true);
  });

  it('offers start at login as an unticked box by default, and not where the OS has none', () => {
    const { calls, actions } = recorder();
    const tray = trayMenu('en', state({ startAtLogin: false }), actions);
    expect(byId(tray, 'start-at-login')).toMatchObject({ type: 'checkbox', checked: false });
    click(byId(tray, 'start-at-login'), true);
    expect(calls).toEqual(['login true']);
    expect(byId(trayMenu('en', state({ startAtLogin: null, platform: 'linux' }), actions), 'start-at-login')).toBeUndefined();
    expect(byId(applicationMenu('en', state({ startAtLogin: null, platform: 'linux' }), actions), 'start-at-login')).toBeUndefined();
  });

  it('shows the last result in the tray with Belgian dates and numbers, and progress while a sync runs', () => {
    const { calls, actions } = recorder();
    const tray = trayMenu('fr', state({ lastRun: run }), actions);
    expect(byId(tray, 'last-run')).toMatchObject({ enabled: false, label: `Dernière synchronisation ${at('fr')} : 1\u202f234 documents, 56 extraits, 2 problèmes` });
    expect(at('fr')).toMatch(/^0?2\/03\/(20)?26 14:05$/);
    expect(lastRunLabel('nl', run)).toBe(`Laatste synchronisatie ${at('nl')}: 1.234 documenten, 56 uittreksels, 2 problemen`);
    expect(lastRunLabel('en', null)).toBe('Not synced yet');
    expect(lastRunLabel('en', { ...run, status: 'failed' })).toMatch(/: failed$/);
    click(byId(tray, 'sync-now'));
    click(byId(tray, 'open'));
    click(byId(tray, 'quit'));
    expect(calls).toEqual(['sync', 'show', 'quit']);
    const running = { runId: '8', dossierId: null, dossierName: null, step: 'orders' as const, done: 12, total: 400, errors: 0, paused: null };
    expect(byId(trayMenu('nl', state({ running }), actions), 'sync-now')).toMatchObject({ enabled: false, label: 'Synchroniseren… 12 van 400' });
    expect(byId(applicationMenu('nl', state({ running }), actions), 'sync-now')).toMatchObject({ enabled: false });
  });

  it('picks the app\'s chosen language, else the OS\'s, else English', () => {
    expect(shellLanguage('nl', ['fr-BE'])).toBe('nl');
    expect(shellLanguage(null, ['de-BE', 'fr-BE'])).toBe('fr');
    expect(shellLanguage(undefined, ['nl-BE'])).toBe('nl');
    expect(shellLanguage(null, ['de-DE'])).toBe('en');
  });
});

describe('native notifications', () => {
  it('says nothing of a clean or cancelled run, and speaks up for problems and failures', () => {
    expect(syncNotice('fr', { ...run, errors: 0 })).toBeNull();
    expect(syncNotice('fr', { ...run, status: 'cancelled' })).toBeNull();
    expect(syncNotice('fr', run)).toEqual({
      title: 'Synchronisation terminée avec des problèmes',
      body: `2 problèmes lors de la synchronisation du ${at('fr')}. Ouvrez l’application pour voir les documents concernés.`,
    });
    expect(syncNotice('nl', { ...run, status: 'failed', message: 'Billit is niet bereikbaar' })).toEqual({
      title: 'Synchronisatie mislukt',
      body: `De synchronisatie van ${at('nl')} is gestopt: Billit is niet bereikbaar`,
    });
  });

  const change = (name: string, previous: string, status: string) =>
    ({ id: name, name, previous, status, at: '2026-03-02T13:00:00Z' }) as Parameters<typeof linkNotices>[1][number];

  it('tells of links the entrepreneur accepted or refused, not of the office\'s own steps', () => {
    expect(linkNotices('en', [change('Bakkerij Peeters', 'link-pending', 'linked')])).toEqual([
      { title: 'Link accepted', body: 'Bakkerij Peeters accepted the link with your office in Billit.' },
    ]);
    expect(linkNotices('fr', [change('Garage Dubois', 'link-pending', 'link-refused')])).toEqual([
      { title: 'Liaison refusée', body: 'Garage Dubois a refusé la liaison avec votre bureau dans Billit.' },
    ]);
    expect(linkNotices('en', [change('A', 'not-in-billit', 'login-not-activated'), change('B', 'link-confirmation-needed', 'link-pending'), change('C', 'linked', 'linked')])).toEqual([]);
  });

  it('makes one notification of many changes at once', () => {
    const many = [...Array.from({ length: 5 }, (_, i) => change(`D${i}`, 'link-pending', 'linked')), change('E', 'link-pending', 'link-refused')];
    expect(linkNotices('nl', many)).toEqual([{ title: 'Billit-koppelingen gewijzigd', body: '5 aanvaard, 1 geweigerd. Open de app om de dossiers te zien.' }]);
  });
});
