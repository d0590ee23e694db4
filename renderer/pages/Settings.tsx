import { useState } from 'react';
import type { IntegrityReport, LogTail } from '../../shared/api';
import { languages } from '../../shared/api/values';
import { api, errorData } from '../api';
import { AccountList, BillitForm, KeychainWarning, VeniceForm } from '../components/Accounts';
import { ExportRootField } from '../components/ExportRoot';
import { Problem } from '../components/Problem';
import { useCall } from '../hooks/useCall';
import { useFormat } from '../i18n';
import { useApp } from '../store';
import { ScheduleField } from './Sync';

export function SettingsPage() {
  const { t, number } = useFormat();
  const { info, loadInfo, language, setLanguage } = useApp();
  const accounts = useCall(() => api.call('settings.accounts'), []);
  const keychain = useCall(() => api.call('settings.keychainStatus'), []);
  const [adding, setAdding] = useState<'billit' | 'venice' | null>(null);
  const [integrity, setIntegrity] = useState<IntegrityReport | null>(null);
  const [logs, setLogs] = useState<LogTail | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const noKeychain = keychain.value?.available === false;

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorData(e));
    } finally {
      setBusy(false);
    }
  };
  const reloadAccounts = () => {
    void accounts.reload();
    void loadInfo();
  };

  return (
    <section aria-labelledby="settings-title" className="settings">
      <h1 id="settings-title">{t('settings.title')}</h1>
      {error && <Problem error={error} />}

      <h2>{t('settings.accounts')}</h2>
      {keychain.value && <KeychainWarning keychain={keychain.value} onRecheck={() => void api.call('settings.keychainStatus', { reprobe: true }).then(() => keychain.reload())} />}
      {accounts.error ? <Problem error={accounts.error} onRetry={() => void accounts.reload()} /> : <AccountList accounts={accounts.value ?? []} onChanged={reloadAccounts} />}
      <div className="toolbar">
        <button className="secondary" aria-expanded={adding === 'billit'} disabled={noKeychain} onClick={() => setAdding(adding === 'billit' ? null : 'billit')}>
          {t('settings.addBillit')}
        </button>
        <button className="secondary" aria-expanded={adding === 'venice'} disabled={noKeychain} onClick={() => setAdding(adding === 'venice' ? null : 'venice')}>
          {t('settings.addVenice')}
        </button>
      </div>
      {adding === 'billit' && <BillitForm disabled={noKeychain} onDone={() => (setAdding(null), reloadAccounts())} />}
      {adding === 'venice' && <VeniceForm disabled={noKeychain} onDone={() => (setAdding(null), reloadAccounts())} />}
      {info?.mode === 'demo' && (accounts.value ?? []).some((a) => a.kind === 'billit') && (accounts.value ?? []).some((a) => a.kind === 'venice') && (
        <div className="toolbar">
          <button className="primary" disabled={busy} onClick={() => void act(async () => (await api.call('app.setup', { use: 'accounts' }), loadInfo()))}>
            {t('firstRun.useAccounts')}
          </button>
        </div>
      )}

      <h2>{t('settings.schedule')}</h2>
      <ScheduleField />

      <h2>{t('settings.exportRoot')}</h2>
      <ExportRootField />

      <h2>{t('settings.languageAndNetwork')}</h2>
      <div className="toolbar">
        <label className="check">
          {t('app.language')}
          <select aria-label={t('app.language')} value={language} onChange={(e) => setLanguage(e.target.value as typeof language)} data-testid="settings-language">
            {languages.map((l) => (
              <option key={l} value={l} lang={l}>
                {{ fr: 'Français', nl: 'Nederlands', en: 'English' }[l]}
              </option>
            ))}
          </select>
        </label>
        <label className="check switch">
          <input
            type="checkbox"
            role="switch"
            checked={info?.offline ?? false}
            onChange={(e) => void useApp.getState().setOffline(e.target.checked)}
          />
          {t('offline.switch')}
        </label>
      </div>

      {info && (
        <>
          <h2>{t('settings.about')}</h2>
          <dl className="facts">
            <dt>{t('settings.dataDir')}</dt>
            <dd>
              <code>{info.dataDir}</code>{' '}
              {info.desktop.openFolder && (
                <button className="secondary small" onClick={() => void act(() => api.call('app.openFolder', { folder: 'data' }))}>
                  {t('settings.openFolder')}
                </button>
              )}
            </dd>
            <dt>{t('settings.logDir')}</dt>
            <dd>
              <code>{info.logDir}</code>{' '}
              {info.desktop.openFolder ? (
                <button className="secondary small" onClick={() => void act(() => api.call('app.openFolder', { folder: 'logs' }))}>
                  {t('settings.openFolder')}
                </button>
              ) : (
                <button className="secondary small" aria-expanded={logs !== null} onClick={() => void act(async () => setLogs(logs ? null : await api.call('app.logTail', { lines: 200 })))} data-testid="show-logs">
                  {logs ? t('settings.hideLogs') : t('settings.showLogs')}
                </button>
              )}
            </dd>
            <dt>{t('settings.keychain')}</dt>
            <dd data-testid="keychain">{info.keychain.available ? t('settings.keychainOk') : t('settings.keychainMissing')}</dd>
            <dt>{t('settings.version')}</dt>
            <dd>{info.version}</dd>
          </dl>
          {logs && (
            <pre className="log-tail" tabIndex={0} aria-label={t('settings.logLines', { count: logs.lines.length })} data-testid="log-tail">
              {logs.lines.join('\n')}
            </pre>
          )}
        </>
      )}

      <h2>{t('settings.database')}</h2>
      <div className="toolbar">
        <button className="secondary" disabled={busy} onClick={() => void act(async () => setIntegrity(await api.call('settings.integrityCheck')))} data-testid="integrity-check">
          {t('settings.integrityCheck')}
        </button>
        {integrity && (
          <span className={`badge ${integrity.ok ? 'good' : 'bad'}`} data-testid="integrity-result">
            {integrity.ok ? t('settings.integrityOk') : t('settings.integrityBad', { count: integrity.problems.length })}
          </span>
        )}
        {integrity && (
          <span className="muted">
            {number(Math.round(integrity.sizeBytes / 1024))} KB · {number(integrity.durationMs)} ms
          </span>
        )}
      </div>
      {integrity && !integrity.ok && (
        <ul className="findings">
          {integrity.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
