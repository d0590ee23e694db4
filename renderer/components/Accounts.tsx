import { useEffect, useState, type FormEvent } from 'react';
import type { AccountView, KeychainStatus } from '../../shared/api';
import { api, errorData } from '../api';
import { errorText, useFormat } from '../i18n';
import { useApp } from '../store';

type ErrorShape = { code: string; message: string };

/** The connected accounts ("connected as …, last verified …"); a secret is never shown again. */
export function AccountList({ accounts, onChanged }: { accounts: AccountView[]; onChanged(): void }) {
  const { t, dateTime } = useFormat();
  const offline = useApp((s) => s.info?.offline ?? false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const act = async (id: string, fn: () => Promise<unknown>) => {
    setBusy(id);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorData(e));
    } finally {
      setBusy(null);
      onChanged();
    }
  };
  if (!accounts.length) return <p className="muted">{t('settings.noAccounts')}</p>;
  return (
    <>
      <table className="grid" data-testid="accounts">
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                {a.kind === 'billit' ? 'Billit' : 'Venice Cloud'} <span className="muted">({t(`settings.environments.${a.environment}`, { defaultValue: a.environment })})</span>
              </th>
              <td>{t('settings.connectedAs', { label: a.label })}</td>
              <td className="muted">{a.lastVerifiedAt ? t('settings.verifiedAt', { when: dateTime(a.lastVerifiedAt) }) : t('settings.notVerified')}</td>
              <td>{a.secretStored === false && <span className="badge bad">{t('settings.secretMissing')}</span>}</td>
              <td className="actions-cell">
                <button className="secondary small" disabled={busy !== null || offline} title={offline ? t('offline.reason') : undefined} onClick={() => act(a.id, () => api.call('settings.verifyAccount', { id: a.id }))}>
                  {busy === a.id ? t('settings.verifying') : t('settings.verify')}
                </button>{' '}
                <button className="secondary small" disabled={busy !== null} onClick={() => act(a.id, () => api.call('settings.removeAccount', { id: a.id }))}>
                  {t('settings.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p className="banner error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </>
  );
}

/** Said plainly: the app keeps credentials only in the keychain, and what to do when there is none. */
export function KeychainWarning({ keychain, onRecheck }: { keychain: KeychainStatus; onRecheck(): void }) {
  const { t } = useFormat();
  if (keychain.available) return null;
  return (
    <div className="banner error" role="alert" data-testid="keychain-unavailable">
      <p>
        <strong>{t('keychain.title')}</strong> {t('keychain.why')}
      </p>
      <p>{t('keychain.todo')}</p>
      <p className="muted small">{t('keychain.detail', { reason: keychain.reason ?? '' })}</p>
      <button className="secondary small" onClick={onRecheck}>
        {t('keychain.recheck')}
      </button>
    </div>
  );
}

/** Verified once saved: "connected as …", or why not. */
async function saveAndVerify(save: () => Promise<AccountView>): Promise<AccountView> {
  const saved = await save();
  return api.call('settings.verifyAccount', { id: saved.id });
}

export function BillitForm({ disabled, onDone }: { disabled: boolean; onDone(account: AccountView): void }) {
  const { t } = useFormat();
  const lastSignIn = useApp((s) => s.lastSignIn);
  const [environment, setEnvironment] = useState<'production' | 'sandbox'>('production');
  const [method, setMethod] = useState<'api-key' | 'oauth'>('api-key');
  const [apiKey, setApiKey] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  useEffect(() => {
    if (!waiting || !lastSignIn) return;
    setWaiting(false);
    if (lastSignIn.ok) onDone(lastSignIn.account);
    else setError(lastSignIn);
  }, [lastSignIn]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (method === 'api-key') {
        const account = await saveAndVerify(() => api.call('settings.saveAccount', { kind: 'billit', auth: 'api-key', environment, apiKey }));
        setApiKey('');
        onDone(account);
      } else {
        useApp.setState({ lastSignIn: null });
        const { authorizeUrl } = await api.call('settings.billitSignIn', { environment, clientId, clientSecret });
        setClientSecret('');
        setWaiting(true);
        window.open(authorizeUrl, '_blank', 'noopener');
      }
    } catch (e) {
      setError(errorData(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-label={t('accounts.billitForm')} data-testid="billit-form">
      <fieldset>
        <legend>{t('accounts.environment')}</legend>
        <label className="check">
          <input type="radio" name="billit-env" checked={environment === 'production'} onChange={() => setEnvironment('production')} />
          {t('settings.environments.production')}
        </label>
        <label className="check">
          <input type="radio" name="billit-env" checked={environment === 'sandbox'} onChange={() => setEnvironment('sandbox')} />
          {t('settings.environments.sandbox')}
        </label>
      </fieldset>
      <fieldset>
        <legend>{t('accounts.method')}</legend>
        <label className="check">
          <input type="radio" name="billit-method" checked={method === 'api-key'} onChange={() => setMethod('api-key')} />
          {t('accounts.apiKey')}
        </label>
        <label className="check">
          <input type="radio" name="billit-method" checked={method === 'oauth'} onChange={() => setMethod('oauth')} />
          {t('accounts.oauth')}
        </label>
      </fieldset>
      {method === 'api-key' ? (
        <label className="field">
          <span>{t('accounts.apiKey')}</span>
          <input type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
          <span className="muted small">{t('accounts.apiKeyHint')}</span>
        </label>
      ) : (
        <>
          <label className="field">
            <span>{t('accounts.clientId')}</span>
            <input type="text" autoComplete="off" value={clientId} onChange={(e) => setClientId(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('accounts.clientSecret')}</span>
            <input type="password" autoComplete="off" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} />
          </label>
          <p className="muted small">{t('accounts.oauthHint')}</p>
        </>
      )}
      <div className="toolbar">
        <button
          className="primary"
          type="submit"
          disabled={disabled || busy || waiting || (method === 'api-key' ? !apiKey.trim() : !clientId.trim() || !clientSecret.trim())}
        >
          {busy ? t('accounts.verifying') : method === 'api-key' ? t('accounts.saveBillit') : t('accounts.signIn')}
        </button>
        {waiting && (
          <span className="muted" role="status">
            {t('accounts.waitingForBrowser')}
          </span>
        )}
      </div>
      {error && (
        <p className="banner error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </form>
  );
}

export function VeniceForm({ disabled, onDone }: { disabled: boolean; onDone(account: AccountView): void }) {
  const { t } = useFormat();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const account = await saveAndVerify(() => api.call('settings.saveAccount', { kind: 'venice', auth: 'basic', environment: 'production', username, password }));
      setPassword('');
      onDone(account);
    } catch (e) {
      setError(errorData(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-label={t('accounts.veniceForm')} data-testid="venice-form">
      <label className="field">
        <span>{t('accounts.username')}</span>
        <input type="text" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('accounts.password')}</span>
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <p className="muted small">{t('accounts.veniceHint')}</p>
      <div className="toolbar">
        <button className="primary" type="submit" disabled={disabled || busy || !username.trim() || !password}>
          {busy ? t('accounts.verifying') : t('accounts.saveVenice')}
        </button>
      </div>
      {error && (
        <p className="banner error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </form>
  );
}
