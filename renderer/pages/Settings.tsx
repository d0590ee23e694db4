import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorData } from '../api';
import { useApp } from '../store';

const intervals = [0, 15, 30, 60, 120, 240, 480, 1440];

export function SettingsPage() {
  const { t } = useTranslation();
  const { info, sync, loadSync } = useApp();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void loadSync();
  }, [loadSync]);

  const changeInterval = async (intervalMinutes: number) => {
    try {
      await api.call('sync.setSchedule', { intervalMinutes });
      await loadSync();
    } catch (e) {
      setError(errorData(e).code);
    }
  };

  return (
    <section>
      <h1>{t('settings.title')}</h1>
      {error && <div className="banner error">{t(`errors.${error}` as 'errors.internal')}</div>}
      <h2>{t('settings.schedule')}</h2>
      <label className="toolbar">
        {t('settings.interval')}
        <select aria-label={t('settings.interval')} value={sync?.intervalMinutes ?? 0} onChange={(e) => void changeInterval(Number(e.target.value))}>
          {intervals.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? t('settings.manualOnly') : m < 60 ? t('settings.minutes', { count: m }) : t('settings.hours', { count: m / 60 })}
            </option>
          ))}
        </select>
      </label>
      {info && (
        <>
          <h2>{t('settings.accounts')}</h2>
          {info.accounts.length === 0 ? (
            <p className="muted">{t('settings.noAccounts')}</p>
          ) : (
            <ul className="findings">
              {info.accounts.map((a) => (
                <li key={a.kind + a.environment}>
                  <strong>{a.kind === 'billit' ? 'Billit' : 'Venice Cloud'}</strong> — {a.label} ({a.environment})
                </li>
              ))}
            </ul>
          )}
          <h2>{t('settings.about')}</h2>
          <dl className="facts">
            <dt>{t('settings.dataDir')}</dt>
            <dd>
              <code>{info.dataDir}</code>
            </dd>
            <dt>{t('settings.logDir')}</dt>
            <dd>
              <code>{info.logDir}</code>
            </dd>
            <dt>{t('settings.keychain')}</dt>
            <dd data-testid="keychain">
              {info.keychain.available ? t('settings.keychainOk') : t('settings.keychainMissing', { reason: info.keychain.reason ?? '' })}
            </dd>
          </dl>
        </>
      )}
    </section>
  );
}
