import i18next, { type TFunction } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatDecimal, formatMoney, formatNumber, formatPercent, pickLanguage, type UiLanguage } from '../../shared/format';
import { en } from './en';
import { fr } from './fr';
import { nl } from './nl';
import { ruleMessages } from './rules';
import type { RelationFailure } from '../../shared/api';

const stored = localStorage.getItem('bvl.language');
export const initialLanguage: UiLanguage =
  stored === 'fr' || stored === 'nl' || stored === 'en' ? stored : pickLanguage(navigator.languages);
document.documentElement.lang = initialLanguage;

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

/**
 * An error or reason from the Node side, by its code; the English message only when the code is new
 * to this build.
 */
export function errorText(t: TFunction, e: { code: string; message: string }): string {
  return t([`reasons.${e.code}`, `errors.${e.code}`], { defaultValue: e.message });
}

/** A notice (link accepted, scheduled run with problems…) by its code, with its data filled in. */
export function noticeText(t: TFunction, n: { code: string; message: string; data?: Record<string, string | number> }): string {
  return t([`notices.${n.code}`, `reasons.${n.code}`, `errors.${n.code}`], { ...n.data, defaultValue: n.message });
}

/**
 * A validation finding in the screen's language: its code's text when this build knows it (the official
 * rules' texts join these by rule id), else the English message it came with.
 */
export function findingText(t: TFunction, language: UiLanguage, f: { code: string; message: string }): string {
  return ruleMessages[language][f.code] ?? t(`findings.${f.code}`, { defaultValue: f.message });
}

/** Why Billit did not take a customer or supplier, in the screen's language. */
export function relationFailureText(t: TFunction, failure: Pick<RelationFailure, 'code' | 'value'>): string {
  if (failure.code === 'no-name') return t('relations.noName');
  if (failure.code === 'invalid-vat') return t('relations.badVat', { vat: failure.value ?? '' });
  return t('relations.refused');
}

/** The screen's language and Belgian formats in one place. */
export function useFormat() {
  const { t, i18n } = useTranslation();
  const language = (i18n.language as UiLanguage) ?? 'en';
  return {
    t,
    language,
    money: (minor: number, currency = 'EUR', scale = 2) => formatMoney(language, minor, currency, scale),
    date: (iso: string | null | undefined) => (iso ? formatDate(language, iso) : '—'),
    dateTime: (iso: string | null | undefined) => (iso ? formatDateTime(language, iso) : '—'),
    number: (n: number) => formatNumber(language, n),
    decimal: (d: string, min = 0) => formatDecimal(language, d, min),
    percent: (d: string) => formatPercent(language, d),
  };
}

export default i18next;
