import { create } from 'zustand';
import type { AppInfo } from '../shared/api';
import type { UiLanguage } from '../shared/format';
import { api, errorData } from './api';
import { initialLanguage, setLanguage } from './i18n';

export type Place = 'dossiers' | 'exports' | 'settings';

interface AppState {
  place: Place;
  language: UiLanguage;
  info: AppInfo | null;
  infoError: string | null;
  go(place: Place): void;
  setLanguage(language: UiLanguage): void;
  loadInfo(): Promise<void>;
}

export const useApp = create<AppState>((set) => ({
  place: 'dossiers',
  language: initialLanguage,
  info: null,
  infoError: null,
  go: (place) => set({ place }),
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
}));
