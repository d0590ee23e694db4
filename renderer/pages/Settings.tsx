import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView, IntegrityReport, KeychainStatus, SaveAccountInput } from '../../shared/api';
import { formatDateTime, formatNumber } from '../../shared/format';
import { api, errorData } from '../api';
import { useApp } from '../store';

const intervals = [0, 15, 30, 60, 120, 240, 480, 1440];

export function SettingsPage() {
  const { t } = useTranslation();
  const { info, sync, loadSync, loadInfo, language } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [keychain, setKeychain] = useState<KeychainStatus | null>(null);
  const [integrity, setIntegrity] = useState<IntegrityReport | null>(null);
  const [busy, setBusy] = useState(false);

  const loadAccounts = () =>
    Promise.all([api.call('settings.accounts'), api.call('settings.keychainStatus')]).then(
      ([a, k]) => {
        setAccounts(a);
        setKeychain(k);
      },
      (e) => setError(errorData(e).code),
    );

  useEffect(() => {
    void loadSync();
    void loadAccounts();
  }, [loadSync]);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await loadAccounts();
      await loadInfo();
    } catch (e) {
      setError(errorData(e).code);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t('settings.title')}</h1>
      {error && (
        <div className="banner error" role="alert">
          {t(`errors.${error}` as 'errors.internal')}
        </div>
      )}

      <h2>{t('settings.accounts')}</h2>
      {keychain && !keychain.available && (
        <div className="banner error" data-testid="keychain-unavailable">
          {t('settings.keychainMissing', { reason: (keychain.reason ?? '').replace(/\.?$/, '.') })} {t('settings.keychainRefuses')}
        </div>
      )}
      {accounts.length === 0 ? (
        <p className="muted">{t('settings.noAccounts')}</p>
      ) : (
        <table className="grid" data-testid="accounts">
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>
                  <strong>{a.kind === 'billit' ? 'Billit' : 'Venice Cloud'}</strong> ({a.environment})
                </td>
                <td>{t('settings.configuredAs', { label: a.label })}</td>
                <td className="muted">
                  {a.lastVerifiedAt ? t('settings.verifiedAt', { when: formatDateTime(language, a.lastVerifiedAt) }) : t('settings.notVerified')}
                </td>
                <td>
                  <button className="back" disabled={busy} onClick={() => act(() => api.call('settings.verifyAccount', { id: a.id }))}>
                    {t('settings.verify')}
                  </button>{' '}
                  <button className="back" disabled={busy} onClick={() => act(() => api.call('settings.removeAccount', { id: a.id }))}>
                    {t('settings.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AccountForm disabled={busy || keychain?.available === false} onSave={(input) => act(() => api.call('settings.saveAccount', input))} />

      <h2>{t('settings.schedule')}</h2>
      <label className="toolbar">
        {t('settings.interval')}
        <select
          aria-label={t('settings.interval')}
          value={sync?.intervalMinutes ?? 0}
          onChange={(e) => void act(() => api.call('sync.setSchedule', { intervalMinutes: Number(e.target.value) }).then(loadSync))}
        >
          {intervals.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? t('settings.manualOnly') : m < 60 ? t('settings.minutes', { count: m }) : t('settings.hours', { count: m / 60 })}
            </option>
          ))}
        </select>
      </label>

      <h2>{t('settings.database')}</h2>
      <div className="toolbar">
        <button
          className="secondary"
          disabled={busy}
          onClick={() => act(async () => setIntegrity(await api.call('settings.integrityCheck')))}
          data-testid="integrity-check"
        >
          {t('settings.integrityCheck')}
        </button>
        {integrity && (
          <span className={`badge ${integrity.ok ? 'good' : 'bad'}`} data-testid="integrity-result">
            {integrity.ok ? t('settings.integrityOk') : t('settings.integrityBad', { count: integrity.problems.length })}
          </span>
        )}
        {integrity && (
          <span className="muted">
            {formatNumber(language, Math.round(integrity.sizeBytes / 1024))} KB · {formatNumber(language, integrity.durationMs)} ms
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

      {info && (
        <>
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

/** The secret goes from this form to the keychain; the form is cleared and nothing shows it again. */
function AccountForm({ disabled, onSave }: { disabled: boolean; onSave(input: SaveAccountInput): Promise<unknown> }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'billit' | 'venice'>('billit');
  const [environment, setEnvironment] = useState('production');
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [label, setLabel] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const common = { label: label || undefined };
    await onSave(
      kind === 'billit'
        ? { kind, auth: 'api-key', environment: environment as 'production' | 'sandbox', apiKey: secret, ...common }
        : { kind, auth: 'basic', environment: environment as 'production', username, password: secret, ...common },
    );
    setSecret('');
  };

  return (
    <form className="toolbar" onSubmit={submit} aria-label={t('settings.addAccount')}>
      <select aria-label={t('settings.service')} value={kind} onChange={(e) => setKind(e.target.value as 'billit' | 'venice')}>
        <option value="billit">Billit</option>
        <option value="venice">Venice Cloud</option>
      </select>
      <select aria-label={t('settings.environment')} value={environment} onChange={(e) => setEnvironment(e.target.value)}>
        <option value="production">{t('settings.production')}</option>
        {kind === 'billit' && <option value="sandbox">{t('settings.sandbox')}</option>}
      </select>
      {kind === 'venice' && (
        <input type="text" autoComplete="username" placeholder={t('settings.username')} aria-label={t('settings.username')} value={username} onChange={(e) => setUsername(e.target.value)} />
      )}
      <input
        type="password"
        autoComplete="off"
        placeholder={kind === 'billit' ? t('settings.apiKey') : t('settings.password')}
        aria-label={kind === 'billit' ? t('settings.apiKey') : t('settings.password')}
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
      />
      <input type="text" placeholder={t('settings.label')} aria-label={t('settings.label')} value={label} onChange={(e) => setLabel(e.target.value)} />
      <button className="primary" type="submit" disabled={disabled || !secret || (kind === 'venice' && !username)}>
        {t('settings.save')}
      </button>
    </form>
  );
}
