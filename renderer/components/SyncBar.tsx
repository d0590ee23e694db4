import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../shared/format';
import { api } from '../api';
import { useApp } from '../store';

/** Always visible above the dossiers: what the sync is doing, and the buttons to start or stop it. */
export function SyncBar({ dossierIds }: { dossierIds?: string[] }) {
  const { t } = useTranslation();
  const { progress, sync, language, loadSync } = useApp();

  useEffect(() => {
    void loadSync();
  }, [loadSync]);

  const start = async () => {
    await api.call('sync.start', dossierIds?.length ? { dossierIds } : {}).catch(() => undefined);
    void loadSync();
  };
  const cancel = async () => {
    await api.call('sync.cancel').catch(() => undefined);
    void loadSync();
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="syncbar" role="region" aria-label={t('sync.title')}>
      {progress ? (
        <>
          <span data-testid="sync-step">
            {progress.paused === 'offline'
              ? t('sync.pausedOffline')
              : t('sync.running', { step: t(`sync.steps.${progress.step}`), dossier: progress.dossierName ?? '' })}
          </span>
          <div className="progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
            <div style={{ width: `${percent}%` }} />
          </div>
          <span className="muted">
            {formatNumber(language, progress.done)} / {formatNumber(language, progress.total)}
            {progress.errors > 0 && ` · ${t('sync.errors', { count: progress.errors })}`}
          </span>
          <button className="secondary" onClick={cancel}>
            {t('sync.cancel')}
          </button>
        </>
      ) : (
        <>
          <span className="muted" data-testid="sync-last">
            {sync?.lastRun
              ? t('sync.last', {
                  when: formatDateTime(language, sync.lastRun.finishedAt ?? sync.lastRun.startedAt),
                  status: t(`sync.status.${sync.lastRun.status}`),
                  documents: formatNumber(language, sync.lastRun.documents),
                  statements: formatNumber(language, sync.lastRun.statements),
                })
              : t('sync.never')}
            {sync?.nextRunAt && ` · ${t('sync.next', { when: formatDateTime(language, sync.nextRunAt) })}`}
          </span>
          <span style={{ flex: 1 }} />
          <button className="primary" onClick={start} data-testid="sync-now">
            {dossierIds?.length ? t('sync.startSelected', { count: dossierIds.length }) : t('sync.startAll')}
          </button>
        </>
      )}
    </div>
  );
}
