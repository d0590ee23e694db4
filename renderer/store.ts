import { create } from 'zustand';
import type { AppInfo, SyncProgress, SyncStatus } from '../shared/api';
import type { UiLanguage } from '../shared/format';
import { api, errorData } from './api';
import { initialLanguage, setLanguage } from './i18n';

export type Place = 'dossiers' | 'exports' | 'settings';

interface AppState {
  place: Place;
  /** The dossier opened from the list, if any. */
  openDossier: string | null;
  language: UiLanguage;
  info: AppInfo | null;
  infoError: string | null;
  sync: SyncStatus | null;
  progress: SyncProgress | null;
  /** Bumped when the Node side says dossiers changed, so lists re-read. */
  dataVersion: number;
  go(place: Place): void;
  open(dossierId: string | null): void;
  setLanguage(language: UiLanguage): void;
  loadInfo(): Promise<void>;
  loadSync(): Promise<void>;
}

export const useApp = create<AppState>((set, get) => ({
  place: 'dossiers',
  openDossier: null,
  language: initialLanguage,
  info: null,
  infoError: null,
  sync: null,
  progress: null,
  dataVersion: 0,
  go: (place) => set({ place, openDossier: place === 'dossiers' ? get().openDossier : null }),
  open: (openDossier) => set({ openDossier, place: 'dossiers' }),
  setLanguage: (language) => {
    setLanguage(language);
    set({ language });
  },
  loadInfo: async () => {
    try {
      set({ info: await api.call('app.info'), infoError: null });
    } catch (error) {
      set({ infoError: errorData(error).code });
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
}));

/** Events from the Node side feed the store once, for every screen. */
export function listenToCore() {
  const offProgress = api.on('sync.progress', (progress) => useApp.setState({ progress }));
  const offFinished = api.on('sync.finished', () => {
    useApp.setState((s) => ({ progress: null, dataVersion: s.dataVersion + 1 }));
    void useApp.getState().loadSync();
  });
  const offChanged = api.on('dossiers.changed', () => useApp.setState((s) => ({ dataVersion: s.dataVersion + 1 })));
  return () => {
    offProgress();
    offFinished();
    offChanged();
  };
}
