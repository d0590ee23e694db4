import { useState } from 'react';
import type { AccountView } from '../../shared/api';
import { languages } from '../../shared/api/values';
import { api, errorData } from '../api';
import { AccountList, BillitForm, KeychainWarning, VeniceForm } from '../components/Accounts';
import { useCall } from '../hooks/useCall';
import { errorText, useFormat } from '../i18n';
import { useApp } from '../store';

/**
 * The first start: connect Billit and Venice Cloud (each verified, "connected as …"), or explore the
 * demo office. Nothing else is shown until one of them is chosen.
 */
export function FirstRun() {
  const { t } = useFormat();
  const { language, setLanguage, loadInfo } = useApp();
  const accounts = useCall(() => api.call('settings.accounts'), []);
  const keychain = useCall(() => api.call('settings.keychainStatus'), []);
  const [open, setOpen] = useState<'billit' | 'venice' | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const list = accounts.value ?? [];
  const billit = list.find((a) => a.kind === 'billit' && a.lastVerifiedAt);
  const venice = list.find((a) => a.kind === 'venice' && a.lastVerifiedAt);
  const noKeychain = keychain.value?.available === false;

  const choose = async (use: 'demo' | 'accounts') => {
    setBusy(true);
    setError(null);
    try {
      useApp.setState({ info: await api.call('app.setup', { use }) });
      await loadInfo();
    } catch (e) {
      setError(errorData(e));
    } finally {
      setBusy(false);
    }
  };
  const connected = (_account: AccountView) => {
    setOpen(null);
    void accounts.reload();
  };

  return (
    <main className="first-run" aria-labelledby="welcome-title">
      <div className="first-run-card">
        <div className="first-run-head">
          <h1 id="welcome-title">{t('firstRun.title')}</h1>
          <label className="check">
            {t('app.language')}
            <select aria-label={t('app.language')} value={language} onChange={(e) => setLanguage(e.target.value as typeof language)}>
              {languages.map((l) => (
                <option key={l} value={l} lang={l}>
                  {{ fr: 'Français', nl: 'Nederlands', en: 'English' }[l]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p>{t('firstRun.intro')}</p>
        {keychain.value && <KeychainWarning keychain={keychain.value} onRecheck={() => void api.call('settings.keychainStatus', { reprobe: true }).then(() => keychain.reload())} />}

        <ol className="steps">
          <li className={billit ? 'done' : undefined}>
            <div className="step-head">
              <h2>{t('firstRun.billit')}</h2>
              {billit ? (
                <span className="badge good" data-testid="billit-connected">
                  ✓ {t('settings.connectedAs', { label: billit.label })}
                </span>
              ) : (
                <button className="secondary" aria-expanded={open === 'billit'} disabled={noKeychain} onClick={() => setOpen(open === 'billit' ? null : 'billit')}>
                  {t('firstRun.connect')}
                </button>
              )}
            </div>
            <p className="muted">{t('firstRun.billitWhy')}</p>
            {open === 'billit' && <BillitForm disabled={noKeychain} onDone={connected} />}
          </li>
          <li className={venice ? 'done' : undefined}>
            <div className="step-head">
              <h2>{t('firstRun.venice')}</h2>
              {venice ? (
                <span className="badge good" data-testid="venice-connected">
                  ✓ {t('settings.connectedAs', { label: venice.label })}
                </span>
              ) : (
                <button className="secondary" aria-expanded={open === 'venice'} disabled={noKeychain} onClick={() => setOpen(open === 'venice' ? null : 'venice')}>
                  {t('firstRun.connect')}
                </button>
              )}
            </div>
            <p className="muted">{t('firstRun.veniceWhy')}</p>
            {open === 'venice' && <VeniceForm disabled={noKeychain} onDone={connected} />}
          </li>
        </ol>
        {list.length > 0 && <AccountList accounts={list} onChanged={() => void accounts.reload()} />}
        <div className="toolbar first-run-actions">
          <button className="primary" disabled={busy || !billit || !venice} onClick={() => void choose('accounts')} data-testid="use-accounts">
            {t('firstRun.useAccounts')}
          </button>
          <span className="muted">{t('firstRun.or')}</span>
          <button className="secondary" disabled={busy} onClick={() => void choose('demo')} data-testid="explore-demo">
            {t('firstRun.demo')}
          </button>
        </div>
        <p className="muted small">{t('firstRun.demoWhat')}</p>
        {error && (
          <p className="banner error" role="alert">
            {errorText(t, error)}
          </p>
        )}
      </div>
    </main>
  );
}
