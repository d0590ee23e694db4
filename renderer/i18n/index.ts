import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { pickLanguage, type UiLanguage } from '../../shared/format';
import { en } from './en';
import { fr } from './fr';
import { nl } from './nl';

const stored = localStorage.getItem('bvl.language');
export const initialLanguage: UiLanguage =
  stored === 'fr' || stored === 'nl' || stored === 'en' ? stored : pickLanguage(navigator.languages);

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr }, nl: { translation: nl } },
  lng: initialLanguage,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export function setLanguage(language: UiLanguage) {
  localStorage.setItem('bvl.language', language);
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export default i18next;
