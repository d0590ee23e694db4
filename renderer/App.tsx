import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { languages } from '../shared/api';
import { listenToCore, useApp, type Place } from './store';
import { DossiersPage } from './pages/Dossiers';
import { ExportsPage } from './pages/Exports';
import { SettingsPage } from './pages/Settings';

const places: Place[] = ['dossiers', 'exports', 'settings'];

export function App() {
  const { t } = useTranslation();
  const { place, go, language, setLanguage, info, infoError, loadInfo } = useApp();

  useEffect(() => {
    void loadInfo();
    return listenToCore();
  }, [loadInfo]);

  // Ctrl/Cmd+1..3 moves between the three places, as in most desktop apps.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const index = Number(event.key) - 1;
      const target = places[index];
      if (target) {
        event.preventDefault();
        go(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">{t('app.title')}</div>
        <nav aria-label={t('app.title')}>
          {places.map((p, i) => (
            <button
              key={p}
              className={p === place ? 'nav-item active' : 'nav-item'}
              aria-current={p === place ? 'page' : undefined}
              aria-keyshortcuts={`Control+${i + 1}`}
              onClick={() => go(p)}
            >
              {t(`nav.${p}`)}
            </button>
          ))}
        </nav>
        <div className="sidebar-foot">
          <label className="lang">
            <span>{t('app.language')}</span>
            <select
              aria-label={t('app.language')}
              value={language}
              onChange={(e) => setLanguage(e.target.value as typeof language)}
            >
              {languages.map((l) => (
                <option key={l} value={l}>
                  {{ fr: 'Français', nl: 'Nederlands', en: 'English' }[l]}
                </option>
              ))}
            </select>
          </label>
          <div className="version" data-testid="version">
            {info ? t('app.version', { version: info.version }) : infoError ? t(`errors.${infoError}` as 'errors.internal') : t('app.loading')}
          </div>
        </div>
      </aside>
      <main className="content">
        {info?.mode === 'demo' && (
          <div className="banner demo" role="status" data-testid="demo-banner">
            <strong>{t('app.demoMode')}</strong> — {t('app.demoHint')}
          </div>
        )}
        {place === 'dossiers' && <DossiersPage />}
        {place === 'exports' && <ExportsPage />}
        {place === 'settings' && <SettingsPage />}
      </main>
    </div>
  );
}
