import { useState } from 'react';
import type { SyncRunSummary } from '../../shared/api';
import { api, errorData } from '../api';
import { Loading, Problem } from '../components/Problem';
import { SyncBar } from '../components/SyncBar';
import { useCall } from '../hooks/useCall';
import { errorText, useFormat } from '../i18n';
import { useApp } from '../store';

export const intervals = [0, 15, 30, 60, 120, 240, 480, 1440];

/** The synchronisation: what runs now (per dossier), when the next run is, and every run before. */
export function SyncPage() {
  const { t, number, dateTime } = useFormat();
  const { loadSync, runDossiers, progress, dataVersion, navigate, info } = useApp();
  const runs = useCall(() => api.call('sync.runs', { limit: 50 }), [dataVersion]);
  const [selected, setSelected] = useState<string | null>(null);
  const offline = info?.offline ?? false;
  const current = Object.entries(runDossiers);

  return (
    <section aria-labelledby="sync-title">
      <h1 id="sync-title">{t('sync.title')}</h1>
      <SyncBar />
      {progress && current.length > 0 && (
        <section aria-labelledby="now-title" className="card">
          <h2 id="now-title">{t('sync.now')}</h2>
          <ul className="plain run-dossiers" data-testid="run-dossiers">
            {current.map(([id, d]) => (
              <li key={id}>
                <button className="link" onClick={() => navigate({ place: 'dossier', id, tab: 'sales' })}>
                  {d.name}
                </button>{' '}
                <span className="muted">{id === progress.dossierId ? t(`sync.steps.${d.step}`) : t('sync.steps.done')}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ScheduleField />
      <h2>{t('sync.history')}</h2>
      {!runs.value ? (
        <Loading error={runs.error} onRetry={() => void runs.reload()} />
      ) : runs.value.runs.length === 0 ? (
        <p className="muted">{t('sync.noRuns')}</p>
      ) : (
        <table className="grid" data-testid="sync-history">
          <thead>
            <tr>
              <th scope="col">{t('sync.started')}</th>
              <th scope="col">{t('sync.trigger')}</th>
              <th scope="col">{t('sync.result')}</th>
              <th scope="col" className="num">
                {t('sync.documents')}
              </th>
              <th scope="col" className="num">
                {t('sync.statementsCol')}
              </th>
              <th scope="col" className="num">
                {t('sync.exported')}
              </th>
              <th scope="col" className="num">
                {t('sync.errorsCol')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('dossiers.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.value.runs.map((r) => (
              <tr key={r.runId} className={selected === r.runId ? 'selected' : undefined}>
                <td>{dateTime(r.startedAt)}</td>
                <td>{t(`sync.triggers.${r.trigger}`)}</td>
                <td>
                  <RunStatus run={r} />
                </td>
                <td className="num">{number(r.documents)}</td>
                <td className="num">{number(r.statements)}</td>
                <td className="num">{number(r.exported)}</td>
                <td className={r.errors ? 'num bad' : 'num'}>{number(r.errors)}</td>
                <td>
                  <button className="secondary small" aria-expanded={selected === r.runId} onClick={() => setSelected(selected === r.runId ? null : r.runId)}>
                    {t('sync.details')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <RunDetail runId={selected} offline={offline} onRetried={() => void loadSync()} onClose={() => setSelected(null)} />}
    </section>
  );
}

function RunStatus({ run }: { run: SyncRunSummary }) {
  const { t } = useFormat();
  const tone = run.status === 'done' ? (run.errors ? 'warn' : 'good') : run.status === 'running' ? '' : 'bad';
  return (
    <>
      <span className={`badge ${tone}`}>{t(`sync.status.${run.status}`)}</span>
      {run.notes?.map((n) => (
        <div key={n.code} className="muted small">
          {t(`notices.${n.code}`, { defaultValue: n.message })}
        </div>
      ))}
    </>
  );
}

function RunDetail({ runId, offline, onRetried, onClose }: { runId: string; offline: boolean; onRetried(): void; onClose(): void }) {
  const { t, number, dateTime } = useFormat();
  const { navigate, dataVersion } = useApp();
  const run = useCall(() => api.call('sync.run', { runId }), [runId, dataVersion]);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const retry = async () => {
    setError(null);
    try {
      useApp.setState({ starting: true, runDossiers: {} });
      await api.call('sync.retry', { runId });
      onRetried();
    } catch (e) {
      useApp.setState({ starting: false });
      setError(errorData(e));
    }
  };
  const r = run.value;
  return (
    <section
      className="card"
      aria-labelledby="run-title"
      data-testid="run-detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <h2 id="run-title">{t('sync.runOf', { when: r ? dateTime(r.startedAt) : '…' })}</h2>
      {!r ? (
        <Loading error={run.error} onRetry={() => void run.reload()} />
      ) : (
        <>
          <p>
            {t('sync.runSummary', {
              documents: number(r.documents),
              statements: number(r.statements),
              exported: number(r.exported),
              errors: number(r.errors),
            })}{' '}
            {r.finishedAt && <span className="muted">{t('sync.finishedAt', { when: dateTime(r.finishedAt) })}</span>}
          </p>
          {r.message && <p className="banner error">{t('sync.runFailed')}</p>}
          {r.dossiers.length > 0 && (
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">{t('dossiers.name')}</th>
                  <th scope="col">{t('sync.result')}</th>
                  <th scope="col" className="num">
                    {t('sync.documents')}
                  </th>
                  <th scope="col" className="num">
                    {t('sync.statementsCol')}
                  </th>
                  <th scope="col" className="num">
                    {t('sync.errorsCol')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.dossiers.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <button className="link" onClick={() => navigate({ place: 'dossier', id: d.id, tab: 'sales' })}>
                        {d.name}
                      </button>
                    </td>
                    <td>
                      <span className={`badge ${d.status === 'failed' ? 'bad' : 'good'}`}>{t(`sync.status.${d.status}`)}</span>
                      {d.error && (
                        <span className="muted small" title={d.error}>
                          {' '}
                          {t('sync.dossierFailed')}
                        </span>
                      )}
                    </td>
                    <td className="num">{number(d.documents)}</td>
                    <td className="num">{number(d.statements)}</td>
                    <td className="num">{number(d.errors)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="toolbar">
            {(r.errors > 0 || r.status === 'failed' || r.status === 'interrupted' || r.status === 'cancelled') && (
              <button className="primary" disabled={offline} title={offline ? t('offline.reason') : undefined} onClick={() => void retry()} data-testid="retry-run">
                {r.dossiers.some((d) => d.status === 'failed') ? t('sync.retryFailed') : t('sync.retryRun')}
              </button>
            )}
            <button className="secondary" onClick={onClose}>
              {t('app.close')}
            </button>
          </div>
          {error && <p className="banner error">{errorText(t, error)}</p>}
        </>
      )}
    </section>
  );
}

/** How often the app synchronises by itself. */
export function ScheduleField() {
  const { t } = useFormat();
  const { sync, loadSync } = useApp();
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  return (
    <div className="toolbar">
      <label className="check">
        {t('settings.interval')}
        <select
          aria-label={t('settings.interval')}
          value={sync?.intervalMinutes ?? 0}
          onChange={(e) =>
            void api
              .call('sync.setSchedule', { intervalMinutes: Number(e.target.value) })
              .then(loadSync, (x) => setError(errorData(x)))
          }
          data-testid="schedule"
        >
          {intervals.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? t('settings.manualOnly') : m < 60 ? t('settings.minutes', { count: m }) : t('settings.hours', { count: m / 60 })}
            </option>
          ))}
        </select>
      </label>
      {error && <Problem error={error} />}
    </div>
  );
}
