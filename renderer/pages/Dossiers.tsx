import { useEffect, useMemo, useRef, useState } from 'react';
import type { AddResult, BillitStatus, DossierRow, DossierSort } from '../../shared/api';
import { billitStatuses, dossierSorts } from '../../shared/api/values';
import { formatEnterpriseNumber } from '../../shared/belgian';
import { api, errorData } from '../api';
import { ConnectDialog, SendLoginDialog, type DossierAction } from '../components/DossierActions';
import { Problem } from '../components/Problem';
import { OutcomeBadge, StatusBadge } from '../components/StatusBadge';
import { SyncBar } from '../components/SyncBar';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { usePaged } from '../hooks/usePaged';
import { errorText, relationFailureText, useFormat } from '../i18n';
import { useApp, type AddRow } from '../store';

export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

type EmailState = 'ok' | 'missing' | 'invalid';
/** Creating a company in Billit needs the entrepreneur's e-mail; linking or resyncing does not. */
function emailState(row: DossierRow, typed: string | undefined): EmailState {
  if (row.email) return 'ok';
  const value = (typed ?? '').trim();
  if (!value) return row.billitStatus === 'not-in-billit' ? 'missing' : 'ok';
  return emailPattern.test(value) ? 'ok' : 'invalid';
}

/** The list of the office's Venice dossiers, and "Add or resync" with its outcome per dossier. */
export function DossiersPage() {
  const { t, number, date, dateTime } = useFormat();
  const { dataVersion, navigate, info, adds, setAdds, notify } = useApp();
  const offline = info?.offline ?? false;
  const [text, setText] = useState('');
  const [status, setStatus] = useState<BillitStatus | ''>('');
  const [problems, setProblems] = useState(false);
  const [sort, setSort] = useState<DossierSort>('name');
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [emails, setEmails] = useState<Record<string, string>>({});
  const [active, setActive] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [action, setAction] = useState<DossierAction | null>(null);

  const list = usePaged(
    (after) => api.call('dossiers.list', { text: text || undefined, status: status || undefined, problems: problems || undefined, sort, after, limit: 200 }),
    [text, status, problems, sort, dataVersion],
  );

  const refresh = async () => {
    setRefreshing(true);
    setError(null);
    try {
      await api.call('dossiers.refresh');
      await list.reload();
    } catch (e) {
      setError(errorData(e));
    } finally {
      setRefreshing(false);
    }
  };

  // First start: the cache is empty, so fetch the office's dossiers once instead of showing nothing.
  const firstLoad = useRef(true);
  useEffect(() => {
    if (!list.loaded || !firstLoad.current) return;
    firstLoad.current = false;
    if (list.total === 0 && !text && !status && !problems && !offline) void refresh();
  }, [list.loaded]);

  const toggle = (id: string) =>
    setChecked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const selected = useMemo(() => list.items.filter((d) => checked.has(d.id)), [list.items, checked]);
  const missing = selected.filter((d) => emailState(d, emails[d.id]) === 'missing');
  const invalid = selected.filter((d) => emailState(d, emails[d.id]) === 'invalid');
  const running = adds.some((a) => a.state !== 'done');

  /** One call per dossier, a few at a time, so each row shows its own progress. */
  const addOrResync = async (rows: DossierRow[]) => {
    const ids = new Set(rows.map((r) => r.id));
    setAdds((prev) => [...prev.filter((a) => !ids.has(a.id)), ...rows.map((r): AddRow => ({ id: r.id, name: r.name, state: 'waiting' }))]);
    setChecked(new Set());
    const queue = [...rows];
    const work = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const d = row;
        setAdds((prev) => prev.map((a) => (a.id === d.id ? { ...a, state: 'running' } : a)));
        const email = d.email ? undefined : emails[d.id]?.trim() || undefined;
        try {
          const { results } = await api.call('dossiers.addOrResync', { dossiers: [email ? { id: d.id, email } : { id: d.id }] });
          setAdds((prev) => prev.map((a) => (a.id === d.id ? { ...a, state: 'done', result: results[0] } : a)));
        } catch (e) {
          setAdds((prev) => prev.map((a) => (a.id === d.id ? { ...a, state: 'done', error: errorData(e) } : a)));
        }
      }
    };
    await Promise.all([work(), work(), work()]);
    await list.reload();
  };

  const rowById = new Map(list.items.map((d) => [d.id, d]));
  const sent = (id: string, result: AddResult) =>
    setAdds((prev) => prev.map((a) => (a.id === id ? { ...a, result: { ...(a.result ?? result), ...result, relations: a.result?.relations ?? result.relations } } : a)));

  const columns: Column<DossierRow>[] = [
    {
      key: 'check',
      header: (
        <input
          type="checkbox"
          aria-label={t('dossiers.selectAll')}
          checked={list.items.length > 0 && checked.size === list.items.length}
          onChange={(e) => setChecked(e.target.checked ? new Set(list.items.map((d) => d.id)) : new Set())}
        />
      ),
      width: '28px',
      render: (d) => (
        <input type="checkbox" aria-label={t('dossiers.select', { name: d.name })} checked={checked.has(d.id)} onChange={() => toggle(d.id)} onClick={(e) => e.stopPropagation()} />
      ),
    },
    {
      key: 'name',
      header: t('dossiers.name'),
      width: 'minmax(150px, 1.4fr)',
      render: (d) => (
        <div className="two-lines">
          <button className="link truncate" onClick={() => navigate({ place: 'dossier', id: d.id, tab: 'sales' })} title={d.name}>
            {d.name}
          </button>
          <span className="muted small">{d.enterpriseNumber ? formatEnterpriseNumber(d.enterpriseNumber) : t('dossiers.noEnterpriseNumber')}</span>
        </div>
      ),
    },
    {
      key: 'email',
      header: t('dossiers.email'),
      width: 'minmax(150px, 1fr)',
      render: (d) =>
        d.email ? (
          <span className="truncate" title={d.email}>
            {d.email}
          </span>
        ) : d.billitStatus === 'linked' ? (
          <span className="muted">{t('dossiers.noEmail')}</span>
        ) : (
          <EmailInput row={d} value={emails[d.id] ?? ''} onChange={(v) => setEmails((p) => ({ ...p, [d.id]: v }))} checked={checked.has(d.id)} />
        ),
    },
    {
      key: 'status',
      header: t('dossiers.billit'),
      width: '176px',
      render: (d) => (
        <div className="two-lines">
          <StatusBadge status={d.billitStatus} />
          <span className="muted small truncate">
            {d.invitation
              ? t('dossiers.invitationSent', { when: date(d.invitation.sentAt) })
              : d.billitStatus === 'link-pending' || d.billitStatus === 'link-refused'
                ? t('dossiers.since', { when: date(d.billitStatusSince) })
                : ''}
          </span>
        </div>
      ),
    },
    {
      key: 'sync',
      header: t('dossiers.lastSync'),
      width: '124px',
      render: (d) => (
        <div className="two-lines">
          <span>{dateTime(d.lastSyncAt)}</span>
          {d.lastSyncError && (
            <span className="bad small truncate" title={d.lastSyncError}>
              {t('dossiers.syncFailed')}
            </span>
          )}
        </div>
      ),
    },
    {
      key: 'docs',
      header: t('dossiers.documents'),
      width: '112px',
      render: (d) => (
        <div className="two-lines">
          <span className={d.counts.newDocuments ? undefined : 'muted'}>{t('dossiers.new', { count: d.counts.newDocuments, n: number(d.counts.newDocuments) })}</span>
          {d.counts.withErrors > 0 && <span className="bad small">{t('dossiers.problems', { count: d.counts.withErrors, n: number(d.counts.withErrors) })}</span>}
        </div>
      ),
    },
    {
      key: 'action',
      header: <span className="visually-hidden">{t('dossiers.actions')}</span>,
      width: '164px',
      render: (d) => <NextAction row={d} offline={offline} onAction={setAction} onAdd={() => void addOrResync([d])} typed={emails[d.id]} />,
    },
  ];

  return (
    <section aria-labelledby="dossiers-title">
      <h1 id="dossiers-title">{t('dossiers.title')}</h1>
      <SyncBar dossierIds={[...checked]} />
      <div className="toolbar">
        <input type="search" placeholder={t('dossiers.search')} aria-label={t('dossiers.search')} value={text} onChange={(e) => setText(e.target.value)} />
        <select aria-label={t('dossiers.filterStatus')} value={status} onChange={(e) => setStatus(e.target.value as BillitStatus | '')}>
          <option value="">{t('dossiers.allStatuses')}</option>
          {billitStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`billitStatus.${s}`)}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={problems} onChange={(e) => setProblems(e.target.checked)} />
          {t('dossiers.onlyProblems')}
        </label>
        <label className="check">
          {t('dossiers.sort')}
          <select aria-label={t('dossiers.sort')} value={sort} onChange={(e) => setSort(e.target.value as DossierSort)}>
            {dossierSorts.map((s) => (
              <option key={s} value={s}>
                {t(`dossiers.sorts.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button className="secondary" disabled={refreshing || offline} title={offline ? t('offline.reason') : undefined} onClick={() => void refresh()} data-testid="refresh">
          {refreshing ? t('dossiers.refreshing') : t('dossiers.refresh')}
        </button>
        <span className="spacer" />
        <span className="muted" role="status">
          {t('dossiers.count', { count: list.total, n: number(list.total), selected: checked.size })}
        </span>
        <button
          className="primary"
          disabled={running || offline || selected.length === 0 || missing.length > 0 || invalid.length > 0}
          title={offline ? t('offline.reason') : undefined}
          onClick={() => void addOrResync(selected)}
          data-testid="add-or-resync"
        >
          {t('dossiers.addOrResync', { count: checked.size })}
        </button>
      </div>
      {(missing.length > 0 || invalid.length > 0) && (
        <div className="banner demo" role="status" data-testid="email-hint">
          {[
            missing.length ? t('dossiers.emailsMissing', { count: missing.length, names: missing.map((d) => d.name).join(', ') }) : '',
            invalid.length ? t('dossiers.emailsInvalid', { count: invalid.length, names: invalid.map((d) => d.name).join(', ') }) : '',
          ]
            .filter(Boolean)
            .join(' ')}
        </div>
      )}
      {error && <Problem error={error} onRetry={() => void refresh()} />}
      {list.error && <Problem error={list.error} onRetry={() => void list.reload()} />}
      <AddResults rows={adds} dossiers={rowById} offline={offline} onAction={setAction} onRetry={(ids) => void addOrResync(ids.map((id) => rowById.get(id)).filter((d): d is DossierRow => !!d))} />
      {list.items.length === 0 && list.loaded ? (
        <p className="muted">{refreshing ? t('dossiers.refreshing') : t('dossiers.empty')}</p>
      ) : (
        <VirtualTable
          label={t('dossiers.title')}
          rows={list.items}
          columns={columns}
          rowKey={(d) => d.id}
          rowHeight={48}
          activeKey={active}
          onActivate={(d) => setActive(d.id)}
          onOpen={(d) => navigate({ place: 'dossier', id: d.id, tab: 'sales' })}
          onToggle={(d) => toggle(d.id)}
          onEndReached={() => void list.more()}
          rowClass={(d) => (checked.has(d.id) ? 'checked' : undefined)}
          height={adds.length ? 'calc(100vh - 420px)' : 'calc(100vh - 270px)'}
          testId="dossier-list"
        />
      )}
      {action?.kind === 'connect' && (
        <ConnectDialog
          row={action.row}
          onClose={() => setAction(null)}
          onDone={(result) => {
            sent(action.row.id, result);
            notify({ level: 'info', code: 'link.requested', message: `Link request sent to ${action.row.name}`, data: { name: action.row.name } });
            void list.reload();
          }}
        />
      )}
      {action?.kind === 'login' && (
        <SendLoginDialog
          row={action.row}
          onClose={() => setAction(null)}
          onDone={(sentData) => {
            notify({
              level: 'info',
              code: 'login.sent',
              message: `Login data sent to ${sentData.sentTo}`,
              data: { name: action.row.name, to: sentData.sentTo, when: dateTime(sentData.sentAt) },
            });
            void list.reload();
          }}
        />
      )}
    </section>
  );
}

function EmailInput({ row, value, onChange, checked }: { row: DossierRow; value: string; onChange(v: string): void; checked: boolean }) {
  const { t } = useFormat();
  const state = emailState(row, value);
  const note = state === 'invalid' ? t('dossiers.emailInvalid') : state === 'missing' && checked ? t('dossiers.emailMissing') : '';
  const noteId = `email-note-${row.id}`;
  return (
    <div className="two-lines">
      <input
        className={`email-input ${state === 'invalid' || (state === 'missing' && checked) ? 'invalid' : ''}`}
        type="email"
        placeholder={t('dossiers.emailPlaceholder')}
        aria-label={t('dossiers.emailFor', { name: row.name })}
        aria-invalid={state === 'invalid' || undefined}
        aria-describedby={note ? noteId : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.stopPropagation()}
      />
      <span id={noteId} className="bad small" data-testid={note ? `email-note-${state}` : undefined}>
        {note}
      </span>
    </div>
  );
}

/** The one next step of a dossier, always in view: Connect, Send login data, Add. */
function NextAction(props: { row: DossierRow; offline: boolean; typed: string | undefined; onAction(a: DossierAction): void; onAdd(): void }) {
  const { t } = useFormat();
  const { row, offline } = props;
  const title = offline ? t('offline.reason') : undefined;
  if (row.billitStatus === 'link-confirmation-needed' || row.billitStatus === 'link-refused')
    return (
      <button className="secondary small" disabled={offline} title={title} onClick={() => props.onAction({ kind: 'connect', row })}>
        {row.billitStatus === 'link-refused' ? t('dossiers.connectAgain') : t('dossiers.connect')}
      </button>
    );
  if (row.billitStatus === 'login-not-activated')
    return row.email ? (
      <button className="secondary small" disabled={offline} title={title} onClick={() => props.onAction({ kind: 'login', row })}>
        {row.invitation ? t('dossiers.sendLoginAgain') : t('dossiers.sendLogin')}
      </button>
    ) : (
      <span className="muted small" title={t('dossiers.loginNeedsEmail')}>
        {t('dossiers.noEmail')}
      </span>
    );
  if (row.billitStatus === 'not-in-billit' || row.billitStatus === 'not-linked')
    return (
      <button
        className="secondary small"
        disabled={offline || emailState(row, props.typed) !== 'ok'}
        title={title ?? (emailState(row, props.typed) !== 'ok' ? t('dossiers.emailFirst') : undefined)}
        onClick={props.onAdd}
      >
        {t('dossiers.add')}
      </button>
    );
  return null;
}

/** The outcome of "Add or resync" per dossier: progress, result, relations and failures, next step; kept until dismissed. */
function AddResults(props: {
  rows: AddRow[];
  dossiers: Map<string, DossierRow>;
  offline: boolean;
  onAction(a: DossierAction): void;
  onRetry(ids: string[]): void;
}) {
  const { t, number } = useFormat();
  const setAdds = useApp((s) => s.setAdds);
  if (!props.rows.length) return null;
  const done = props.rows.filter((r) => r.state === 'done').length;
  const failed = props.rows.filter((r) => r.error || r.result?.outcome === 'failed').map((r) => r.id);
  return (
    <section className="results" aria-labelledby="add-results-title" data-testid="add-results">
      <div className="results-head">
        <h2 id="add-results-title">{t('adds.title')}</h2>
        <span className="muted" role="status">
          {t('adds.progress', { done: number(done), total: number(props.rows.length) })}
        </span>
        <span className="spacer" />
        {failed.length > 0 && done === props.rows.length && (
          <button className="secondary small" disabled={props.offline} onClick={() => props.onRetry(failed)}>
            {t('adds.retryFailed', { count: failed.length })}
          </button>
        )}
        <button className="secondary small" disabled={done < props.rows.length} onClick={() => setAdds(() => [])}>
          {t('adds.dismissAll')}
        </button>
      </div>
      <ul className="results-list">
        {props.rows.map((r) => {
          const row = props.dossiers.get(r.id);
          const status = row?.billitStatus ?? r.result?.status;
          const relations = r.result?.relations;
          return (
            <li key={r.id} data-testid="add-result" data-dossier={r.id}>
              <div className="result-line">
                <strong className="truncate" title={r.name}>
                  {r.name}
                </strong>
                {r.state === 'waiting' && <span className="badge">{t('adds.waiting')}</span>}
                {r.state === 'running' && (
                  <span className="badge" role="status">
                    <span className="spinner" aria-hidden="true" /> {t('adds.running')}
                  </span>
                )}
                {r.result && <OutcomeBadge outcome={r.result.outcome} />}
                {r.error && <span className="badge bad">{t('outcome.failed')}</span>}
                <span className="reason">
                  {r.error ? errorText(t, r.error) : r.result?.reason ? errorText(t, r.result.reason) : ''}
                </span>
                <span className="spacer" />
                {row && status && r.state === 'done' && (
                  <NextAction row={{ ...row, billitStatus: row.billitStatus }} offline={props.offline} typed={undefined} onAction={props.onAction} onAdd={() => props.onRetry([r.id])} />
                )}
                {(r.error || r.result?.outcome === 'failed') && (
                  <button className="secondary small" disabled={props.offline} onClick={() => props.onRetry([r.id])}>
                    {t('adds.retry')}
                  </button>
                )}
                <button className="icon" aria-label={t('adds.dismiss', { name: r.name })} disabled={r.state !== 'done'} onClick={() => setAdds((rows) => rows.filter((x) => x.id !== r.id))}>
                  ✕
                </button>
              </div>
              {relations && (
                <div className="relations">
                  {t('adds.relations', {
                    created: number(relations.created),
                    updated: number(relations.updated),
                    unchanged: number(relations.unchanged),
                    failed: number(relations.failed),
                  })}
                  {relations.failures.length > 0 && (
                    <ul className="failures">
                      {relations.failures.map((f, i) => (
                        <li key={i}>
                          <strong>{f.name}</strong>: <span title={f.reason}>{relationFailureText(t, f)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
