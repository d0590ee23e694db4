import { useEffect } from 'react';
import { useFormat } from '../i18n';
import { useApp } from '../store';
import { api } from '../api';

/** What the sync is doing right now (from the first second), and the buttons to start or stop it. */
export function SyncBar({ dossierIds }: { dossierIds?: string[] }) {
  const { t, number, dateTime } = useFormat();
  const { progress, starting, sync, loadSync, startSync, info } = useApp();
  const offline = info?.offline ?? false;

  useEffect(() => {
    void loadSync();
  }, [loadSync]);

  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  const busy = starting || progress !== null;
  return (
    <div className="syncbar" role="region" aria-label={t('sync.title')}>
      {busy ? (
        <>
          <span data-testid="sync-step" role="status">
            {!progress
              ? t('sync.starting')
              : progress.paused === 'offline'
                ? t('sync.pausedOffline')
                : progress.dossierName
                  ? t('sync.running', { step: t(`sync.steps.${progress.step}`), dossier: progress.dossierName })
                  : t(`sync.steps.${progress.step}`)}
          </span>
          <div
            className="progress"
            role="progressbar"
            aria-label={t('sync.overall')}
            aria-valuenow={percent}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuetext={progress ? t('sync.dossiersDone', { done: number(progress.done), total: number(progress.total) }) : t('sync.starting')}
          >
            <div className={progress ? undefined : 'indeterminate'} style={progress ? { width: `${percent}%` } : undefined} />
          </div>
          {progress && (
            <span className="muted nowrap">
              {t('sync.dossiersDone', { done: number(progress.done), total: number(progress.total) })}
              {progress.errors > 0 && ` · ${t('sync.errors', { count: progress.errors })}`}
            </span>
          )}
          <button className="secondary" onClick={() => void api.call('sync.cancel').finally(loadSync)}>
            {t('sync.cancel')}
          </button>
        </>
      ) : (
        <>
          <span className="muted" data-testid="sync-last">
            {sync?.lastRun
              ? t('sync.last', {
                  when: dateTime(sync.lastRun.finishedAt ?? sync.lastRun.startedAt),
                  status: t(`sync.status.${sync.lastRun.status}`),
                  documents: number(sync.lastRun.documents),
                  statements: number(sync.lastRun.statements),
                })
              : t('sync.never')}
            {sync?.nextRunAt && ` · ${t('sync.next', { when: dateTime(sync.nextRunAt) })}`}
          </span>
          <span className="spacer" />
          <button className="primary" onClick={() => void startSync(dossierIds)} disabled={offline} title={offline ? t('offline.reason') : undefined} data-testid="sync-now">
            {dossierIds?.length ? t('sync.startSelected', { count: dossierIds.length }) : t('sync.startAll')}
          </button>
        </>
      )}
    </div>
  );
}
