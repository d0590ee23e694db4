import { create } from 'zustand';
import type { AddResult, ApiErrorData, AppInfo, Events, LinkChange, SyncProgress, SyncStatus } from '../shared/api';
import type { UiLanguage } from '../shared/format';
import { api, errorData } from './api';
import { initialLanguage, setLanguage } from './i18n';

/** The sidebar's sections, in their order (Ctrl+1..5); each screen belongs to one (`screens.tsx`). */
export const sections = ['dossiers', 'review', 'sync', 'exports', 'settings'] as const;
export type Section = (typeof sections)[number];
export type DossierTab = 'sales' | 'purchases' | 'statements';

/** Where the accountant is (each place is drawn by its entry in `screens.tsx`); the history makes "back" go where they came from (invoice → statement → back). */
export type View =
  | { place: 'dossiers' }
  | { place: 'dossier'; id: string; tab: DossierTab }
  | { place: 'document'; id: string }
  | { place: 'statement'; id: string }
  | { place: 'review' }
  | { place: 'sync' }
  | { place: 'exports' }
  | { place: 'settings' };

/** Something to tell the accountant whatever screen they are on; translated when shown. */
export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  code: string;
  message: string;
  data?: Record<string, string | number>;
  open?: View;
}

/** One dossier of an "Add or resync": its progress and outcome stay until dismissed. */
export interface AddRow {
  id: string;
  name: string;
  state: 'waiting' | 'running' | 'done';
  result?: AddResult;
  error?: ApiErrorData;
}

interface AppState {
  view: View;
  history: View[];
  language: UiLanguage;
  info: AppInfo | null;
  infoError: ApiErrorData | null;
  sync: SyncStatus | null;
  progress: SyncProgress | null;
  /** A run asked for and not yet reporting: the bar says "starting" instead of nothing. */
  starting: boolean;
  /** The dossiers the running run has reached, with the step each is at. */
  runDossiers: Record<string, { name: string; step: SyncProgress['step'] }>;
  /** Bumped when the Node side says data changed, so screens re-read. */
  dataVersion: number;
  notices: Notice[];
  adds: AddRow[];
  lastSignIn: Events['settings.signIn'] | null;
  search: { open: boolean; text: string };
  navigate(view: View): void;
  back(): void;
  /** A sidebar section, with the history cleared. */
  go(section: Section): void;
  setLanguage(language: UiLanguage): void;
  loadInfo(): Promise<void>;
  loadSync(): Promise<void>;
  startSync(dossierIds?: string[]): Promise<void>;
  /** Work offline or online again (the switch moves at once; the Node side confirms). */
  setOffline(offline: boolean): Promise<void>;
  notify(notice: Omit<Notice, 'id'>): void;
  dismiss(id: number): void;
  setAdds(update: (rows: AddRow[]) => AddRow[]): void;
  openSearch(text?: string): void;
  closeSearch(): void;
}

let noticeId = 0;

export const useApp = create<AppState>((set, get) => ({
  view: { place: 'dossiers' },
  history: [],
  language: initialLanguage,
  info: null,
  infoError: null,
  sync: null,
  progress: null,
  starting: false,
  runDossiers: {},
  dataVersion: 0,
  notices: [],
  adds: [],
  lastSignIn: null,
  search: { open: false, text: '' },
  navigate: (view) => set((s) => ({ view, history: [...s.history, s.view].slice(-50) })),
  back: () =>
    set((s) => {
      const previous = s.history[s.history.length - 1];
      // Only the screens under the dossier list have "back": with nothing behind, back is that list.
      return previous ? { view: previous, history: s.history.slice(0, -1) } : { view: { place: 'dossiers' } };
    }),
  go: (section) => set({ view: { place: section }, history: [] }),
  setLanguage: (language) => {
    setLanguage(language);
    set({ language });
    void api.call('app.setLanguage', { language }).catch(() => undefined);
  },
  loadInfo: async () => {
    try {
      const info = await api.call('app.info');
      set({ info, infoError: null });
      // The language kept by the Node side wins over this browser's guess.
      if (info.language && info.language !== get().language) {
        setLanguage(info.language);
        set({ language: info.language });
      }
    } catch (error) {
      set({ infoError: errorData(error) });
    }
  },
  loadSync: async () => {
    try {
      const sync = await api.call('sync.status');
      set({ sync, progress: sync.running });
    } catch {
      // The sync room may not answer (yet); the bar just stays idle.
    }
  },
  startSync: async (dossierIds) => {
    set({ starting: true, runDossiers: {} });
    try {
      await api.call('sync.start', dossierIds?.length ? { dossierIds } : {});
    } catch (error) {
      const e = errorData(error);
      set({ starting: false });
      get().notify({ level: 'error', code: e.code, message: e.message });
    }
    void get().loadSync();
  },
  setOffline: async (offline) => {
    set((s) => (s.info ? { info: { ...s.info, offline } } : {}));
    try {
      await api.call('app.setOffline', { offline });
    } catch (error) {
      const e = errorData(error);
      get().notify({ level: 'error', code: e.code, message: e.message });
    }
    await get().loadInfo();
  },
  notify: (notice) => set((s) => ({ notices: [...s.notices.slice(-4), { ...notice, id: ++noticeId }] })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  setAdds: (update) => set((s) => ({ adds: update(s.adds) })),
  openSearch: (text) => set((s) => ({ search: { open: true, text: text ?? s.search.text } })),
  closeSearch: () => set({ search: { open: false, text: '' } }),
}));

/** Which link changes are news: the entrepreneur answered, or activated the login. */
function linkNotice(change: LinkChange): Omit<Notice, 'id'> | null {
  const open: View = { place: 'dossier', id: change.id, tab: 'sales' };
  const data = { name: change.name };
  if (change.previous === 'link-pending' && (change.status === 'linked' || change.status === 'login-not-activated'))
    return { level: 'info', code: 'link.accepted', message: `${change.name} accepted the link`, data, open };
  if (change.status === 'link-refused') return { level: 'warning', code: 'link.refused', message: `${change.name} refused the link`, data, open };
  if (change.previous === 'login-not-activated' && change.status === 'linked')
    return { level: 'info', code: 'link.activated', message: `${change.name} activated the Billit login`, data, open };
  return null;
}

/** Events from the Node side feed the store once, for every screen. */
export function listenToCore() {
  const bump = () => useApp.setState((s) => ({ dataVersion: s.dataVersion + 1 }));
  const offs = [
    api.on('sync.progress', (progress) =>
      useApp.setState((s) => ({
        progress: progress.step === 'done' ? null : progress,
        starting: false,
        runDossiers:
          progress.dossierId && progress.dossierName
            ? { ...s.runDossiers, [progress.dossierId]: { name: progress.dossierName, step: progress.step } }
            : s.runDossiers,
      })),
    ),
    api.on('sync.finished', () => {
      useApp.setState((s) => ({ progress: null, starting: false, dataVersion: s.dataVersion + 1 }));
      void useApp.getState().loadSync();
    }),
    api.on('dossiers.changed', bump),
    api.on('exports.changed', bump),
    api.on('dossiers.linkChanged', (change) => {
      bump();
      const notice = linkNotice(change);
      if (notice) useApp.getState().notify(notice);
    }),
    api.on('app.notice', (n) => useApp.getState().notify({ ...n, ...(n.code === 'sync.scheduled-problems' ? { open: { place: 'sync' } } : {}) })),
    api.on('app.network', ({ offline }) => {
      useApp.setState((s) => (s.info ? { info: { ...s.info, offline } } : {}));
    }),
    api.on('app.language', ({ language }) => {
      if (language !== useApp.getState().language) {
        setLanguage(language);
        useApp.setState({ language });
      }
    }),
    api.on('settings.signIn', (outcome) => {
      useApp.setState({ lastSignIn: outcome });
      void useApp.getState().loadInfo();
    }),
  ];
  return () => offs.forEach((off) => off());
}
