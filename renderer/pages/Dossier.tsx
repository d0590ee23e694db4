import { useState, type ReactNode } from 'react';
import type { DocumentRow, DossierDetail, StatementRow } from '../../shared/api';
import { formatEnterpriseNumber, formatIban, formatStructuredCommunication } from '../../shared/belgian';
import { api, errorData } from '../api';
import { DateField } from '../components/DateField';
import { ConnectDialog, SendLoginDialog } from '../components/DossierActions';
import { FileChip } from '../components/FileChip';
import { Loading, Problem } from '../components/Problem';
import { StatusBadge } from '../components/StatusBadge';
import { SyncBar } from '../components/SyncBar';
import { Truncated, VirtualTable, type Column } from '../components/VirtualTable';
import { useCall } from '../hooks/useCall';
import { usePaged } from '../hooks/usePaged';
import { useFormat } from '../i18n';
import { useApp, type DossierTab } from '../store';

const tabs: DossierTab[] = ['sales', 'purchases', 'statements'];

/** One dossier: who it is, where it stands with Billit, and its invoices and bank statements. */
export function DossierView({ id, tab }: { id: string; tab: DossierTab }) {
  const { t, number } = useFormat();
  const { dataVersion, back, go } = useApp();
  const dossier = useCall(() => api.call('dossiers.get', { id }), [id, dataVersion]);
  const setTab = (next: DossierTab) => useApp.setState((s) => ({ view: { place: 'dossier', id, tab: next }, history: s.history }));
  const d = dossier.value;

  const onTabKey = (event: React.KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <section aria-labelledby="dossier-title">
      <button className="link back" onClick={() => (useApp.getState().history.length ? back() : go('dossiers'))}>
        ← {t('dossier.back')}
      </button>
      {!d && <Loading error={dossier.error} onRetry={() => void dossier.reload()} />}
      {d && (
        <>
          <h1 id="dossier-title">
            {d.name} <StatusBadge status={d.billitStatus} />
          </h1>
          <DossierFacts dossier={d} onChanged={() => void dossier.reload()} />
          <SyncBar dossierIds={[id]} />
          <div className="tabs" role="tablist" aria-label={t('dossier.tabs')}>
            {tabs.map((k, i) => (
              <button
                key={k}
                id={`tab-${k}`}
                role="tab"
                aria-selected={tab === k}
                aria-controls={`panel-${k}`}
                tabIndex={tab === k ? 0 : -1}
                onClick={() => setTab(k)}
                onKeyDown={(e) => onTabKey(e, i)}
              >
                {t(`dossier.${k}`)} ({number(k === 'statements' ? d.counts.statements : d.counts[k])})
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {/* Keyed by tab: a panel opened on one tab never survives the switch to another. */}
            {tab === 'statements' ? <Statements key={tab} dossierId={id} /> : <Documents key={tab} dossierId={id} direction={tab} />}
          </div>
        </>
      )}
    </section>
  );
}

function DossierFacts({ dossier: d, onChanged }: { dossier: DossierDetail; onChanged(): void }) {
  const { t, date, dateTime } = useFormat();
  const offline = useApp((s) => s.info?.offline ?? false);
  const notify = useApp((s) => s.notify);
  const [dialog, setDialog] = useState<'connect' | 'login' | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const check = async () => {
    setChecking(true);
    setError(null);
    try {
      await api.call('dossiers.refresh');
      onChanged();
    } catch (e) {
      setError(errorData(e));
    } finally {
      setChecking(false);
    }
  };
  const reason = offline ? t('offline.reason') : undefined;
  return (
    <>
      <p className="facts-line">
        <span>{d.enterpriseNumber ? formatEnterpriseNumber(d.enterpriseNumber) : t('dossiers.noEnterpriseNumber')}</span>
        <span>{d.email ?? t('dossiers.noEmail')}</span>
        {d.address && <span>{d.address}</span>}
        <span>
          {t('dossiers.lastSync')}: {dateTime(d.lastSyncAt)}
        </span>
      </p>
      <div className="toolbar link-state" data-testid="link-state">
        {d.billitStatus === 'link-pending' && <span>{t('dossier.pendingSince', { when: dateTime(d.billitStatusSince) })}</span>}
        {d.billitStatus === 'link-refused' && <span>{t('dossier.refusedOn', { when: date(d.billitStatusSince) })}</span>}
        {d.invitation && <span data-testid="invitation">{t('dossier.invitation', { to: d.invitation.sentTo, when: dateTime(d.invitation.sentAt) })}</span>}
        {(d.billitStatus === 'link-pending' || d.billitStatus === 'login-not-activated') && (
          <button className="secondary small" disabled={checking || offline} title={reason} onClick={() => void check()} data-testid="check-link">
            {checking ? t('dossier.checking') : t('dossier.checkNow')}
          </button>
        )}
        {(d.billitStatus === 'link-confirmation-needed' || d.billitStatus === 'link-refused') && (
          <button className="primary small" disabled={offline} title={reason} onClick={() => setDialog('connect')}>
            {d.billitStatus === 'link-refused' ? t('dossiers.connectAgain') : t('dossiers.connect')}
          </button>
        )}
        {d.billitStatus === 'login-not-activated' &&
          (d.email ? (
            <button className="primary small" disabled={offline} title={reason} onClick={() => setDialog('login')} data-testid="send-login">
              {d.invitation ? t('dossiers.sendLoginAgain') : t('dossiers.sendLogin')}
            </button>
          ) : (
            <span className="muted">{t('dossiers.loginNeedsEmail')}</span>
          ))}
      </div>
      {error && <Problem error={error} onRetry={() => void check()} />}
      {dialog === 'connect' && (
        <ConnectDialog
          row={d}
          onClose={() => setDialog(null)}
          onDone={() => {
            notify({ level: 'info', code: 'link.requested', message: `Link request sent to ${d.name}`, data: { name: d.name } });
            onChanged();
          }}
        />
      )}
      {dialog === 'login' && <SendLoginDialog row={d} onClose={() => setDialog(null)} onDone={onChanged} />}
    </>
  );
}

function Filters(props: { from: string; to: string; text: string; setFrom(v: string): void; setTo(v: string): void; setText(v: string): void; children?: ReactNode }) {
  const { t } = useFormat();
  return (
    <div className="toolbar">
      <input type="search" placeholder={t('dossier.search')} aria-label={t('dossier.search')} value={props.text} onChange={(e) => props.setText(e.target.value)} />
      <DateField label={t('dossier.from')} value={props.from} onChange={props.setFrom} />
      <DateField label={t('dossier.to')} value={props.to} onChange={props.setTo} />
      {props.children}
    </div>
  );
}

function Documents({ dossierId, direction }: { dossierId: string; direction: 'sales' | 'purchases' }) {
  const { t, date, money, number } = useFormat();
  const { dataVersion, navigate } = useApp();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [status, setStatus] = useState<'' | 'ok' | 'errors' | 'not-exported'>('');
  const [active, setActive] = useState<string | null>(null);
  const list = usePaged(
    (after) =>
      api.call('documents.list', {
        dossierId,
        direction,
        from: from || undefined,
        to: to || undefined,
        text: text || undefined,
        status: status || undefined,
        after,
        limit: 200,
      }),
    [dossierId, direction, from, to, text, status, dataVersion],
  );
  const open = (id: string) => navigate({ place: 'document', id });

  // With the detail panel open the list keeps what identifies a document and drops what the panel shows.
  const all: Array<Column<DocumentRow> & { wide?: boolean }> = [
    {
      key: 'number',
      header: t('document.number'),
      width: 'minmax(100px, 0.8fr)',
      render: (d) => (
        <span className="truncate" title={d.number}>
          {d.number}
          {d.kind === 'credit-note' && <span className="badge warn small-badge">{t('document.kinds.credit-note')}</span>}
        </span>
      ),
    },
    { key: 'date', header: t('document.issueDate'), width: '88px', render: (d) => date(d.issueDate) },
    {
      key: 'party',
      header: direction === 'sales' ? t('document.customer') : t('document.supplier'),
      width: 'minmax(140px, 2fr)',
      render: (d) => <Truncated text={d.counterparty} />,
    },
    { key: 'excl', header: t('document.totalExcl'), width: '112px', numeric: true, wide: true, render: (d) => money(d.totalExcl, d.currency) },
    { key: 'incl', header: t('document.totalIncl'), width: '112px', numeric: true, render: (d) => money(d.totalIncl, d.currency) },
    {
      key: 'state',
      header: t('document.state'),
      width: '184px',
      render: (d) => (
        <span className="badges">
          {d.errors > 0 ? <span className="badge bad">{t('document.errors', { count: d.errors })}</span> : <span className="badge good">{t('document.valid')}</span>}
          {d.status === 'held' && <span className="badge warn">{t('document.held')}</span>}
          {d.exported && <span className="badge">{t('document.exported')}</span>}
          {d.paid && <span className="badge good">{t('document.paid')}</span>}
        </span>
      ),
    },
  ];
  const columns = active ? all.filter((c) => !c.wide) : all;

  return (
    <>
      <Filters from={from} to={to} text={text} setFrom={setFrom} setTo={setTo} setText={setText}>
        <select aria-label={t('document.state')} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">{t('dossier.allStates')}</option>
          <option value="ok">{t('document.valid')}</option>
          <option value="errors">{t('dossier.withErrors')}</option>
          <option value="not-exported">{t('dossier.notExported')}</option>
        </select>
        <span className="muted" role="status">
          {t('dossier.count', { count: list.total, n: number(list.total) })}
        </span>
      </Filters>
      {list.error && <Problem error={list.error} onRetry={() => void list.reload()} />}
      <div className={active ? 'split' : undefined}>
        <VirtualTable
          label={t(`dossier.${direction}`)}
          rows={list.items}
          columns={columns}
          rowKey={(d) => d.id}
          activeKey={active}
          onActivate={(d) => setActive(d.id)}
          onOpen={(d) => open(d.id)}
          onEscape={() => setActive(null)}
          onEndReached={() => void list.more()}
          empty={list.loaded ? t('dossier.noDocuments') : t('app.loading')}
          testId="document-list"
        />
        {active && <DocumentPanel id={active} onClose={() => setActive(null)} onOpen={() => open(active)} />}
      </div>
    </>
  );
}

/** A side panel that Esc closes, giving the focus back to the list. */
function Panel({ label, onClose, children }: { label: string; onClose(): void; children: ReactNode }) {
  const { t } = useFormat();
  return (
    <aside
      className="panel"
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
      data-testid="detail-panel"
    >
      <button className="icon close" onClick={onClose} aria-label={t('app.closePanel')}>
        ✕
      </button>
      {children}
    </aside>
  );
}

function DocumentPanel({ id, onClose, onOpen }: { id: string; onClose(): void; onOpen(): void }) {
  const { t, date, money } = useFormat();
  const doc = useCall(() => api.call('documents.get', { id }), [id]);
  const d = doc.value?.id === id ? doc.value : null;
  return (
    <Panel label={t('document.details')} onClose={onClose}>
      {!d ? (
        <Loading error={doc.error} onRetry={() => void doc.reload()} />
      ) : (
        <>
          <h2>
            {t(`document.kinds.${d.kind}`)} {d.number}
          </h2>
          <dl className="facts">
            <dt>{t('document.issueDate')}</dt>
            <dd>{date(d.issueDate)}</dd>
            {d.dueDate && (
              <>
                <dt>{t('document.dueDate')}</dt>
                <dd>{date(d.dueDate)}</dd>
              </>
            )}
            <dt>{t('document.counterparty')}</dt>
            <dd>{d.counterparty}</dd>
            <dt>{t('document.totalIncl')}</dt>
            <dd>{money(d.totalIncl, d.currency)}</dd>
            {d.paymentReference && (
              <>
                <dt>{t('document.paymentReference')}</dt>
                <dd className="mono nowrap">{formatStructuredCommunication(d.paymentReference)}</dd>
              </>
            )}
            <dt>{t('document.payment')}</dt>
            <dd>{d.payments.length ? t('document.paidBy', { count: d.payments.length }) : t('document.unpaid')}</dd>
            <dt>{t('document.findings')}</dt>
            <dd>{d.findings.length ? t('document.findingsCount', { count: d.findings.length }) : t('document.noFindingsShort')}</dd>
          </dl>
          <p>
            <button className="primary" onClick={onOpen} data-testid="open-document">
              {t('document.open')}
            </button>
          </p>
          <p className="chips">
            <FileChip name={d.number} item={{ dossierId: d.dossierId, kind: d.direction, documentId: d.id }} />
            {d.hasPdf && <FileChip name={d.number} item={{ dossierId: d.dossierId, kind: 'pdf', documentId: d.id }} />}
          </p>
        </>
      )}
    </Panel>
  );
}

function Statements({ dossierId }: { dossierId: string }) {
  const { t, date, money, number } = useFormat();
  const { dataVersion, navigate } = useApp();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [active, setActive] = useState<string | null>(null);
  const list = usePaged(
    (after) => api.call('statements.list', { dossierId, account: text.replace(/\s/g, '').toUpperCase() || undefined, from: from || undefined, to: to || undefined, after, limit: 200 }),
    [dossierId, from, to, text, dataVersion],
  );
  const open = (id: string) => navigate({ place: 'statement', id });
  const all: Array<Column<StatementRow> & { wide?: boolean }> = [
    { key: 'account', header: t('statement.account'), width: 'minmax(190px, 1.5fr)', render: (s) => <span className="nowrap">{formatIban(s.account)}</span> },
    { key: 'seq', header: t('statement.sequence'), width: '70px', render: (s) => s.sequence },
    { key: 'date', header: t('statement.date'), width: '92px', render: (s) => date(s.date) },
    { key: 'old', header: t('statement.oldBalance'), width: '124px', numeric: true, wide: true, render: (s) => money(s.oldBalance, s.currency, 3) },
    { key: 'new', header: t('statement.newBalance'), width: '124px', numeric: true, render: (s) => money(s.newBalance, s.currency, 3) },
    { key: 'mov', header: t('statement.movements'), width: '90px', numeric: true, wide: true, render: (s) => number(s.movements) },
    {
      key: 'state',
      header: t('document.state'),
      width: '150px',
      render: (s) => (
        <span className="badges">
          {s.errors > 0 ? <span className="badge bad">{t('document.errors', { count: s.errors })}</span> : <span className="badge good">{t('document.valid')}</span>}
          {s.exported && <span className="badge">{t('document.exported')}</span>}
        </span>
      ),
    },
  ];
  const columns = active ? all.filter((c) => !c.wide) : all;
  return (
    <>
      <div className="toolbar">
        <input type="search" placeholder={t('statement.searchAccount')} aria-label={t('statement.searchAccount')} value={text} onChange={(e) => setText(e.target.value)} />
        <DateField label={t('dossier.from')} value={from} onChange={setFrom} />
        <DateField label={t('dossier.to')} value={to} onChange={setTo} />
        <span className="muted" role="status">
          {t('dossier.count', { count: list.total, n: number(list.total) })}
        </span>
      </div>
      {list.error && <Problem error={list.error} onRetry={() => void list.reload()} />}
      <div className={active ? 'split' : undefined}>
        <VirtualTable
          label={t('dossier.statements')}
          rows={list.items}
          columns={columns}
          rowKey={(s) => s.id}
          activeKey={active}
          onActivate={(s) => setActive(s.id)}
          onOpen={(s) => open(s.id)}
          onEscape={() => setActive(null)}
          onEndReached={() => void list.more()}
          empty={list.loaded ? t('dossier.noStatements') : t('app.loading')}
          testId="statement-list"
        />
        {active && <StatementPanel id={active} onClose={() => setActive(null)} onOpen={() => open(active)} />}
      </div>
    </>
  );
}

function StatementPanel({ id, onClose, onOpen }: { id: string; onClose(): void; onOpen(): void }) {
  const { t, date, money, number } = useFormat();
  const st = useCall(() => api.call('statements.get', { id }), [id]);
  const s = st.value?.id === id ? st.value : null;
  return (
    <Panel label={t('statement.details')} onClose={onClose}>
      {!s ? (
        <Loading error={st.error} onRetry={() => void st.reload()} />
      ) : (
        <>
          <h2>{t('statement.heading', { number: s.sequence })}</h2>
          <dl className="facts">
            <dt>{t('statement.account')}</dt>
            <dd className="nowrap">{formatIban(s.account)}</dd>
            <dt>{t('statement.date')}</dt>
            <dd>{date(s.date)}</dd>
            <dt>{t('statement.oldBalance')}</dt>
            <dd>{money(s.oldBalance, s.currency, 3)}</dd>
            <dt>{t('statement.newBalance')}</dt>
            <dd>{money(s.newBalance, s.currency, 3)}</dd>
            <dt>{t('statement.movements')}</dt>
            <dd>
              {number(s.movements)} · {t('statement.matched', { count: s.movementsList.filter((m) => m.paysDocumentId).length })}
            </dd>
          </dl>
          <p>
            <button className="primary" onClick={onOpen} data-testid="open-statement">
              {t('statement.open')}
            </button>
          </p>
          <p className="chips">
            <FileChip name={s.sequence} item={{ dossierId: s.dossierId, kind: 'coda', documentId: s.id }} />
          </p>
        </>
      )}
    </Panel>
  );
}
