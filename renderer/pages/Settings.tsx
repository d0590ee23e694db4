import { useTranslation } from 'react-i18next';
import { useApp } from '../store';

export function SettingsPage() {
  const { t } = useTranslation();
  const info = useApp((s) => s.info);
  return (
    <section>
      <h1>{t('settings.title')}</h1>
      {info && (
        <dl className="facts">
          <dt>{t('settings.dataDir')}</dt>
          <dd><code>{info.dataDir}</code></dd>
          <dt>{t('settings.logDir')}</dt>
          <dd><code>{info.logDir}</code></dd>
          <dt>{t('settings.keychain')}</dt>
          <dd>{info.keychain.available ? t('settings.keychainOk') : t('settings.keychainMissing', { reason: info.keychain.reason ?? '' })}</dd>
          <dt>{t('settings.accounts')}</dt>
          <dd>
            {info.accounts.length === 0
              ? t('settings.noAccounts')
              : info.accounts.map((a) => (
                  <div key={a.kind + a.environment}>
                    {a.kind}: {a.label} ({a.environment})
                  </div>
                ))}
          </dd>
        </dl>
      )}
    </section>
  );
}
