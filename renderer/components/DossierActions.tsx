import { useState } from 'react';
import type { AddResult, DossierRow, LoginDataSent } from '../../shared/api';
import { formatEnterpriseNumber } from '../../shared/belgian';
import { api, errorData } from '../api';
import { errorText, useFormat } from '../i18n';
import { Dialog } from './Dialog';

export type DossierAction = { kind: 'connect'; row: DossierRow } | { kind: 'login'; row: DossierRow };

type Row = Pick<DossierRow, 'id' | 'name' | 'enterpriseNumber' | 'email' | 'invitation'>;

/** "Connect" says what will happen before it happens: Billit asks the entrepreneur to accept. */
export function ConnectDialog({ row, onClose, onDone }: { row: Row; onClose(): void; onDone(result: AddResult): void }) {
  const { t } = useFormat();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('dossiers.confirmLink', { id: row.id });
      onDone(result);
      onClose();
    } catch (e) {
      setError(errorData(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('connect.title', { name: row.name })}
      onClose={onClose}
      testId="connect-dialog"
      actions={
        <>
          <button className="secondary" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button className="primary" onClick={() => void confirm()} disabled={busy} autoFocus>
            {busy ? t('connect.sending') : t('connect.confirm')}
          </button>
        </>
      }
    >
      <p>{t('connect.what', { name: row.name, number: row.enterpriseNumber ? formatEnterpriseNumber(row.enterpriseNumber) : '—' })}</p>
      <p>{t('connect.then')}</p>
      {error && (
        <p className="banner error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </Dialog>
  );
}

/** "Send login data": to whom, what the entrepreneur receives; afterwards, to whom and when it went. */
export function SendLoginDialog({ row, onClose, onDone }: { row: Row; onClose(): void; onDone(sent: LoginDataSent): void }) {
  const { t, dateTime } = useFormat();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<LoginDataSent | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('dossiers.sendLoginData', { id: row.id });
      setSent(result);
      onDone(result);
    } catch (e) {
      setError(errorData(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('login.title', { name: row.name })}
      onClose={onClose}
      testId="login-dialog"
      actions={
        sent ? (
          <button className="primary" onClick={onClose} autoFocus>
            {t('app.close')}
          </button>
        ) : (
          <>
            <button className="secondary" onClick={onClose}>
              {t('app.cancel')}
            </button>
            <button className="primary" onClick={() => void confirm()} disabled={busy || !row.email} autoFocus>
              {busy ? t('login.sending') : t('login.confirm')}
            </button>
          </>
        )
      }
    >
      {sent ? (
        <p role="status" data-testid="login-sent">
          {t('login.sent', { to: sent.sentTo, when: dateTime(sent.sentAt) })}
        </p>
      ) : row.email ? (
        <>
          <p>{t('login.what', { email: row.email })}</p>
          {row.invitation && <p className="muted">{t('login.before', { to: row.invitation.sentTo, when: dateTime(row.invitation.sentAt) })}</p>}
        </>
      ) : (
        <p>{t('errors.login-data.no-email')}</p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </Dialog>
  );
}
