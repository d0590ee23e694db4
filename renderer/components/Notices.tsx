import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { noticeText } from '../i18n';
import { useApp, type Notice } from '../store';

/** Notices (link accepted, scheduled run with problems…) wherever the accountant is; info ones fade. */
export function Notices() {
  const { t } = useTranslation();
  const { notices, dismiss, navigate } = useApp();
  return (
    <div className="notices" aria-live="polite" aria-label={t('notices.label')} role="region">
      {notices.slice(-3).map((n) => (
        <NoticeItem key={n.id} notice={n} text={noticeText(t, n)} onDismiss={() => dismiss(n.id)} onOpen={n.open ? () => (navigate(n.open!), dismiss(n.id)) : undefined} />
      ))}
    </div>
  );
}

function NoticeItem({ notice, text, onDismiss, onOpen }: { notice: Notice; text: string; onDismiss(): void; onOpen?: () => void }) {
  const { t } = useTranslation();
  useEffect(() => {
    if (notice.level !== 'info') return;
    const timer = setTimeout(onDismiss, 8_000);
    return () => clearTimeout(timer);
  }, [notice.id]);
  return (
    <div className={`notice ${notice.level}`} role={notice.level === 'info' ? 'status' : 'alert'} data-testid="notice" data-code={notice.code}>
      <span>{text}</span>
      {onOpen && (
        <button className="secondary small" onClick={onOpen}>
          {t('notices.open')}
        </button>
      )}
      <button className="icon" onClick={onDismiss} aria-label={t('notices.dismiss')}>
        ✕
      </button>
    </div>
  );
}
