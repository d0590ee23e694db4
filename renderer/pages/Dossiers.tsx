import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { billitStatuses, type AddResult, type BillitStatus, type DossierRow } from '../../shared/api';
import { formatEnterpriseNumber } from '../../shared/belgian';
import { formatDateTime, formatNumber } from '../../shared/format';
import { api, errorData } from '../api';
import { OutcomeBadge, StatusBadge } from '../components/StatusBadge';
import { SyncBar } from '../components/SyncBar';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { usePaged } from '../hooks/usePaged';
import { useApp } from '../store';
import { DossierView } from './Dossier';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export function DossiersPage() {
  const openDossier = useApp((s) => s.openDossier);
  return openDossier ? <DossierView id={openDossier} /> : <DossierList />;
}

function DossierList() {
  const { t } = useTranslation();
  const { language, dataVersion, open } = useApp();
  const [text, setText] = useState('');
  const [status, setStatus] = useState<BillitStatus | ''>('');
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [emails, setEmails] = useState<Record<string, string>>({});
  const [results, setResults] = useState<Record<string, AddResult>>({});
  const [active, setActive] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const list = usePaged(
    (after) => api.call('dossiers.list', { text: text || undefined, status: status || undefined, after, limit: 200 }),
    [text, status, dataVersion],
  );

  // First start: the cache is empty, so fetch the office's dossiers once instead of showing nothing.
  const firstLoad = useRef(true);
  useEffect(() => {
    if (!list.loaded || !firstLoad.current) return;
    firstLoad.current = false;
    if (list.total === 0 && !text && !status) void refresh();
  }, [list.loaded]);

  const toggle = (id: string) =>
    setChecked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const selectedRows = useMemo(() => list.items.filter((d) => checked.has(d.id)), [list.items, checked]);
  const missingEmail = selectedRows.filter((d) => !d.email && !emailPattern.test(emails[d.id] ?? ''));

  const run = useCallback(
    async (action: () => Promise<AddResult[]>) => {
      setBusy(true);
      setError(null);
      try {
        const out = await action();
        setResults((prev) => ({ ...prev, ...Object.fromEntries(out.map((r) => [r.id, r])) }));
        await list.reload();
      } catch (e) {
        setError(errorData(e).code);
      } finally {
        setBusy(false);
      }
    },
    [list],
  );

  const addOrResync = () =>
    run(async () => {
      const dossiers = selectedRows.map((d) => (d.email ? { id: d.id } : { id: d.id, email: emails[d.id]!.trim() }));
      return (await api.call('dossiers.addOrResync', { dossiers })).results;
    });
  const connect = (id: string) => run(async () => [await api.call('dossiers.confirmLink', { id })]);
  const sendLogin = (id: string) =>
    run(async () => {
      await api.call('dossiers.sendLoginData', { id });
      return [];
    });
  const refresh = () =>
    run(async () => {
      await api.call('dossiers.refresh');
      return [];
    });

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
      width: '32px',
      render: (d) => (
        <input type="checkbox" aria-label={t('dossiers.select', { name: d.name })} checked={checked.has(d.id)} onChange={() => toggle(d.id)} onClick={(e) => e.stopPropagation()} />
      ),
    },
    {
      key: 'name',
      header: t('dossiers.name'),
      width: 'minmax(150px, 2fr)',
      render: (d) => (
        <button className="back" style={{ margin: 0 }} onClick={() => open(d.id)} title={t('dossiers.open')}>
          {d.name}
        </button>
      ),
    },
    { key: 'ent', header: t('dossiers.enterpriseNumber'), width: '105px', render: (d) => (d.enterpriseNumber ? formatEnterpriseNumber(d.enterpriseNumber) : '—') },
    {
      key: 'email',
      header: t('dossiers.email'),
      width: 'minmax(130px, 1.3fr)',
      render: (d) =>
        d.email ?? (
          <input
            className={`email-input ${emails[d.id] && !emailPattern.test(emails[d.id]!) ? 'invalid' : ''}`}
            type="email"
            placeholder={t('dossiers.emailMissing')}
            aria-label={t('dossiers.emailFor', { name: d.name })}
            value={emails[d.id] ?? ''}
            onChange={(e) => setEmails((prev) => ({ ...prev, [d.id]: e.target.value }))}
            onClick={(e) => e.stopPropagation()}
          />
        ),
    },
    { key: 'status', header: t('dossiers.billit'), width: '150px', render: (d) => <StatusBadge status={d.billitStatus} /> },
    {
      key: 'docs',
      header: t('dossiers.documents'),
      width: '70px',
      numeric: true,
      render: (d) => formatNumber(language, d.counts.sales + d.counts.purchases),
    },
    { key: 'coda', header: t('dossiers.statements'), width: '70px', numeric: true, render: (d) => formatNumber(language, d.counts.statements) },
    { key: 'sync', header: t('dossiers.lastSync'), width: '115px', render: (d) => (d.lastSyncAt ? formatDateTime(language, d.lastSyncAt) : '—') },
    {
      key: 'action',
      header: t('dossiers.result'),
      width: 'minmax(170px, 1.6fr)',
      render: (d) => {
        const r = results[d.id];
        return (
          <span className="actions">
            {r && <OutcomeBadge outcome={r.outcome} />}
            {r?.reason && <span className="muted" title={r.reason.message}>{t(`reasons.${r.reason.code}`, { defaultValue: r.reason.message })}</span>}
            {r?.relations && (
              <span className="muted" title={r.relations.failures.map((f) => `${f.name}: ${f.reason}`).join('\n')}>
                {t('dossiers.relations', { created: r.relations.created, updated: r.relations.updated, unchanged: r.relations.unchanged, failed: r.relations.failed })}
              </span>
            )}
            {d.billitStatus === 'link-confirmation-needed' && (
              <button className="secondary" disabled={busy} onClick={() => connect(d.id)}>
                {t('dossiers.connect')}
              </button>
            )}
            {d.billitStatus === 'login-not-activated' && (
              <button className="secondary" disabled={busy} onClick={() => sendLogin(d.id)}>
                {t('dossiers.sendLogin')}
              </button>
            )}
          </span>
        );
      },
    },
  ];

  return (
    <section>
      <h1>{t('dossiers.title')}</h1>
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
        <button className="secondary" disabled={busy} onClick={refresh}>
          {t('dossiers.refresh')}
        </button>
        <span style={{ flex: 1 }} />
        <span className="muted">{t('dossiers.count', { count: list.total, selected: checked.size })}</span>
        <button
          className="primary"
          disabled={busy || checked.size === 0 || missingEmail.length > 0}
          title={missingEmail.length ? t('dossiers.completeEmails', { count: missingEmail.length }) : undefined}
          onClick={addOrResync}
          data-testid="add-or-resync"
        >
          {t('dossiers.addOrResync', { count: checked.size })}
        </button>
      </div>
      {missingEmail.length > 0 && <div className="banner demo">{t('dossiers.completeEmails', { count: missingEmail.length })}</div>}
      {(error || list.error) && <div className="banner error">{t(`errors.${error ?? list.error}` as 'errors.internal')}</div>}
      {list.items.length === 0 && !list.loading ? (
        <p className="muted">{t('dossiers.empty')}</p>
      ) : (
        <VirtualTable
          label={t('dossiers.title')}
          rows={list.items}
          columns={columns}
          rowKey={(d) => d.id}
          activeKey={active}
          onActivate={(d) => setActive(d.id)}
          onOpen={(d) => open(d.id)}
          onToggle={(d) => toggle(d.id)}
          onEndReached={() => void list.more()}
          rowClass={(d) => (checked.has(d.id) ? 'checked' : undefined)}
        />
      )}
    </section>
  );
}
