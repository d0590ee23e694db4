import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { languages } from '../shared/api/values';
import { Notices } from './components/Notices';
import { SearchPalette } from './components/SearchPalette';
import { errorText } from './i18n';
import { FirstRun } from './pages/FirstRun';
import { ScreenOf, sectionOf } from './screens';
import { listenToCore, sections, useApp } from './store';

export function App() {
  const { t } = useTranslation();
  const { view, go, language, setLanguage, info, infoError, loadInfo, openSearch } = useApp();

  useEffect(() => {
    void loadInfo();
    return listenToCore();
  }, [loadInfo]);

  // Ctrl/Cmd+1..5 moves between the places, Ctrl/Cmd+K searches everywhere, as in most desktop apps.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (event.key.toLowerCase() === 'k') {
        event.preventDefault();
        openSearch();
        return;
      }
      const target = sections[Number(event.key) - 1];
      if (target) {
        event.preventDefault();
        go(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, openSearch]);

  // Nothing of the desk before the Node side said whether this is the first run (a list would start loading).
  if (!info && !infoError)
    return (
      <main className="first-run">
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      </main>
    );
  if (info?.firstRun) return <FirstRun />;

  const place = sectionOf(view);
  const offline = info?.offline ?? false;
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">{t('app.title')}</div>
        <div className="sidebar-search">
          <label htmlFor="sidebar-search" className="visually-hidden">
            {t('search.label')}
          </label>
          <input
            id="sidebar-search"
            type="search"
            placeholder={t('search.placeholder')}
            aria-keyshortcuts="Control+K"
            onChange={(e) => {
              const text = e.target.value;
              e.target.value = '';
              openSearch(text);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') openSearch();
            }}
          />
        </div>
        <nav aria-label={t('nav.label')}>
          {sections.map((p, i) => (
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
          {offline && (
            <div className="offline-pill" data-testid="offline-indicator">
              {t('offline.short')}
            </div>
          )}
          <label className="lang">
            <span>{t('app.language')}</span>
            <select aria-label={t('app.language')} value={language} onChange={(e) => setLanguage(e.target.value as typeof language)}>
              {languages.map((l) => (
                <option key={l} value={l} lang={l}>
                  {{ fr: 'Français', nl: 'Nederlands', en: 'English' }[l]}
                </option>
              ))}
            </select>
          </label>
          <div className="version" data-testid="version">
            {info ? t('app.version', { version: info.version }) : infoError ? errorText(t, infoError) : t('app.loading')}
          </div>
        </div>
      </aside>
      <main className="content" id="main">
        {info?.mode === 'demo' && <DemoBanner offline={offline} />}
        {offline && (
          <div className="banner offline" role="status" data-testid="offline-banner">
            <span>
              <strong>{t('offline.title')}</strong> — {t('offline.reason')}
            </span>
          </div>
        )}
        {infoError && !info && (
          <div className="banner error" role="alert">
            {errorText(t, infoError)}{' '}
            <button className="secondary small" onClick={() => void loadInfo()}>
              {t('app.retry')}
            </button>
          </div>
        )}
        <ScreenOf view={view} />
      </main>
      <Notices />
      <SearchPalette />
    </div>
  );
}

/** The demo office says what it is, and can go offline so the offline desk can be seen. */
function DemoBanner({ offline }: { offline: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="banner demo" data-testid="demo-banner">
      <span>
        <strong>{t('app.demoMode')}</strong> — {t('app.demoHint')}
      </span>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={offline}
          onChange={(e) => void useApp.getState().setOffline(e.target.checked)}
          data-testid="offline-switch"
        />
        {t('offline.switch')}
      </label>
    </div>
  );
}
