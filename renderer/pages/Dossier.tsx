import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, DocumentRow, DossierDetail, StatementDetail, StatementRow } from '../../shared/api';
import { formatEnterpriseNumber, formatStructuredCommunication } from '../../shared/belgian';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../../shared/format';
import { api, errorData } from '../api';
import { FileChip } from '../components/FileChip';
import { StatusBadge } from '../components/StatusBadge';
import { SyncBar } from '../components/SyncBar';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { usePaged } from '../hooks/usePaged';
import { useApp } from '../store';

type Tab = 'sales' | 'purchases' | 'statements';

export function DossierView({ id }: { id: string }) {
  const { t } = useTranslation();
  const { open, dataVersion, language } = useApp();
  const [dossier, setDossier] = useState<DossierDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('sales');

  useEffect(() => {
    api.call('dossiers.get', { id }).then(setDossier, (e) => setError(errorData(e).code));
  }, [id, dataVersion]);

  return (
    <section>
      <button className="back" onClick={() => open(null)}>
        ← {t('dossiers.title')}
      </button>
      {error && <div className="banner error">{t(`errors.${error}` as 'errors.internal')}</div>}
      {dossier && (
        <>
          <h1>
            {dossier.name} <StatusBadge status={dossier.billitStatus} />
          </h1>
          <p className="muted">
            {dossier.enterpriseNumber ? formatEnterpriseNumber(dossier.enterpriseNumber) : '—'} · {dossier.email ?? t('dossiers.emailMissing')}
            {dossier.address ? ` · ${dossier.address}` : ''}
            {dossier.lastSyncAt ? ` · ${t('dossiers.lastSync')}: ${formatDateTime(language, dossier.lastSyncAt)}` : ''}
          </p>
          <SyncBar dossierIds={[id]} />
          <div className="tabs" role="tablist">
            {(['sales', 'purchases', 'statements'] as Tab[]).map((k) => (
              <button key={k} role="tab" aria-selected={tab === k} onClick={() => setTab(k)}>
                {t(`dossier.${k}`)} ({formatNumber(language, k === 'statements' ? dossier.counts.statements : dossier.counts[k])})
              </button>
            ))}
          </div>
          {tab === 'statements' ? <Statements dossierId={id} /> : <Documents dossierId={id} direction={tab} />}
        </>
      )}
    </section>
  );
}

function Filters(props: {
  from: string;
  to: string;
  text: string;
  setFrom(v: string): void;
  setTo(v: string): void;
  setText(v: string): void;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="toolbar">
      <input type="search" placeholder={t('dossier.search')} aria-label={t('dossier.search')} value={props.text} onChange={(e) => props.setText(e.target.value)} />
      <label>
        {t('dossier.from')} <input type="date" value={props.from} onChange={(e) => props.setFrom(e.target.value)} />
      </label>
      <label>
        {t('dossier.to')} <input type="date" value={props.to} onChange={(e) => props.setTo(e.target.value)} />
      </label>
      {props.children}
    </div>
  );
}

function Documents({ dossierId, direction }: { dossierId: string; direction: 'sales' | 'purchases' }) {
  const { t } = useTranslation();
  const { language, dataVersion } = useApp();
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

  const columns: Column<DocumentRow>[] = [
    { key: 'number', header: t('document.number'), width: '110px', render: (d) => d.number },
    { key: 'kind', header: t('document.kind'), width: '85px', render: (d) => t(`document.kinds.${d.kind}`) },
    { key: 'date', header: t('document.issueDate'), width: '100px', render: (d) => formatDate(language, d.issueDate) },
    { key: 'party', header: direction === 'sales' ? t('document.customer') : t('document.supplier'), width: 'minmax(120px, 2fr)', render: (d) => d.counterparty },
    { key: 'excl', header: t('document.totalExcl'), width: '105px', numeric: true, render: (d) => formatMoney(language, d.totalExcl, d.currency) },
    { key: 'incl', header: t('document.totalIncl'), width: '105px', numeric: true, render: (d) => formatMoney(language, d.totalIncl, d.currency) },
    {
      key: 'state',
      header: t('document.state'),
      width: '150px',
      render: (d) => (
        <span style={{ display: 'flex', gap: 4 }}>
          {d.errors > 0 ? <span className="badge bad">{t('document.errors', { count: d.errors })}</span> : <span className="badge good">{t('document.valid')}</span>}
          {d.exported && <span className="badge">{t('document.exported')}</span>}
          {d.paid && <span className="badge good">{t('document.paid')}</span>}
        </span>
      ),
    },
  ];

  return (
    <>
      <Filters from={from} to={to} text={text} setFrom={setFrom} setTo={setTo} setText={setText}>
        <select aria-label={t('document.state')} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">{t('dossier.allStates')}</option>
          <option value="ok">{t('document.valid')}</option>
          <option value="errors">{t('dossier.withErrors')}</option>
          <option value="not-exported">{t('dossier.notExported')}</option>
        </select>
        <span className="muted">{t('dossier.count', { count: list.total })}</span>
      </Filters>
      {list.error && <div className="banner error">{t(`errors.${list.error}` as 'errors.internal')}</div>}
      <div className={active ? 'split' : undefined}>
        <VirtualTable
          label={t(`dossier.${direction}`)}
          rows={list.items}
          columns={columns}
          rowKey={(d) => d.id}
          activeKey={active}
          onActivate={(d) => setActive(d.id)}
          onOpen={(d) => setActive(d.id)}
          onEndReached={() => void list.more()}
        />
        {active && <DocumentPanel id={active} onClose={() => setActive(null)} />}
      </div>
    </>
  );
}

function DocumentPanel({ id, onClose }: { id: string; onClose(): void }) {
  const { t } = useTranslation();
  const language = useApp((s) => s.language);
  const [doc, setDoc] = useState<DocumentDetail | null>(null);
  useEffect(() => {
    setDoc(null);
    api.call('documents.get', { id }).then(setDoc, () => setDoc(null));
  }, [id]);
  if (!doc) return <aside className="panel">{t('app.loading')}</aside>;
  return (
    <aside className="panel" aria-label={t('document.details')}>
      <button className="back" onClick={onClose} aria-label={t('document.close')}>
        ✕
      </button>
      <h2>
        {t(`document.kinds.${doc.kind}`)} {doc.number}
      </h2>
      <dl className="facts">
        <dt>{t('document.issueDate')}</dt>
        <dd>{formatDate(language, doc.issueDate)}</dd>
        {doc.dueDate && (
          <>
            <dt>{t('document.dueDate')}</dt>
            <dd>{formatDate(language, doc.dueDate)}</dd>
          </>
        )}
        <dt>{t('document.counterparty')}</dt>
        <dd>
          {doc.counterparty}
          {doc.counterpartyVat ? ` (${doc.counterpartyVat})` : ''}
        </dd>
        <dt>{t('document.totalIncl')}</dt>
        <dd>{formatMoney(language, doc.totalIncl, doc.currency)}</dd>
        {doc.paymentReference && (
          <>
            <dt>{t('document.paymentReference')}</dt>
            <dd>{formatStructuredCommunication(doc.paymentReference)}</dd>
          </>
        )}
      </dl>
      <h2>{t('document.files')}</h2>
      <p>
        <FileChip label={`${doc.number}.xml`} items={[{ dossierId: doc.dossierId, kind: doc.direction, documentId: doc.id }]} />
        {doc.hasPdf && <FileChip label={`${doc.number}.pdf`} items={[{ dossierId: doc.dossierId, kind: 'pdf', documentId: doc.id }]} />}
        {doc.hasPdf && (
          <FileChip
            label={t('document.both')}
            items={[
              { dossierId: doc.dossierId, kind: doc.direction, documentId: doc.id },
              { dossierId: doc.dossierId, kind: 'pdf', documentId: doc.id },
            ]}
          />
        )}
      </p>
      <h2>{t('document.findings')}</h2>
      {doc.findings.length === 0 ? (
        <p className="muted">{t('document.noFindings')}</p>
      ) : (
        <ul className="findings">
          {doc.findings.map((f, i) => (
            <li key={i}>
              <span className={`badge ${f.severity === 'error' ? 'bad' : 'warn'}`}>{t(`severity.${f.severity}`)}</span> {f.message}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('document.exports')}</h2>
      {doc.exports.length === 0 ? (
        <p className="muted">{t('document.notExported')}</p>
      ) : (
        <ul className="findings">
          {doc.exports.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> · {formatDateTime(language, e.at)} · {e.status}
              {e.reason ? ` — ${e.reason}` : ''}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

function Statements({ dossierId }: { dossierId: string }) {
  const { t } = useTranslation();
  const { language, dataVersion } = useApp();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [active, setActive] = useState<string | null>(null);
  const list = usePaged(
    (after) => api.call('statements.list', { dossierId, account: text || undefined, from: from || undefined, to: to || undefined, after, limit: 200 }),
    [dossierId, from, to, text, dataVersion],
  );
  const columns: Column<StatementRow>[] = [
    { key: 'account', header: t('statement.account'), width: 'minmax(180px, 1.5fr)', render: (s) => s.account },
    { key: 'seq', header: t('statement.sequence'), width: '80px', render: (s) => s.sequence },
    { key: 'date', header: t('statement.date'), width: '100px', render: (s) => formatDate(language, s.date) },
    { key: 'old', header: t('statement.oldBalance'), width: '130px', numeric: true, render: (s) => formatMoney(language, s.oldBalance, s.currency, 3) },
    { key: 'new', header: t('statement.newBalance'), width: '130px', numeric: true, render: (s) => formatMoney(language, s.newBalance, s.currency, 3) },
    { key: 'mov', header: t('statement.movements'), width: '90px', numeric: true, render: (s) => formatNumber(language, s.movements) },
    {
      key: 'state',
      header: t('document.state'),
      width: '140px',
      render: (s) => (
        <span style={{ display: 'flex', gap: 4 }}>
          {s.errors > 0 ? <span className="badge bad">{t('document.errors', { count: s.errors })}</span> : <span className="badge good">{t('document.valid')}</span>}
          {s.exported && <span className="badge">{t('document.exported')}</span>}
        </span>
      ),
    },
  ];
  return (
    <>
      <Filters from={from} to={to} text={text} setFrom={setFrom} setTo={setTo} setText={setText}>
        <span className="muted">{t('dossier.count', { count: list.total })}</span>
      </Filters>
      <div className={active ? 'split' : undefined}>
        <VirtualTable
          label={t('dossier.statements')}
          rows={list.items}
          columns={columns}
          rowKey={(s) => s.id}
          activeKey={active}
          onActivate={(s) => setActive(s.id)}
          onEndReached={() => void list.more()}
        />
        {active && <StatementPanel id={active} onClose={() => setActive(null)} />}
      </div>
    </>
  );
}

function StatementPanel({ id, onClose }: { id: string; onClose(): void }) {
  const { t } = useTranslation();
  const language = useApp((s) => s.language);
  const [st, setSt] = useState<StatementDetail | null>(null);
  useEffect(() => {
    setSt(null);
    api.call('statements.get', { id }).then(setSt, () => setSt(null));
  }, [id]);
  if (!st) return <aside className="panel">{t('app.loading')}</aside>;
  return (
    <aside className="panel" aria-label={t('statement.details')}>
      <button className="back" onClick={onClose} aria-label={t('document.close')}>
        ✕
      </button>
      <h2>
        {st.account} · {st.sequence}
      </h2>
      <p>
        <FileChip label={`${st.sequence}.cod`} items={[{ dossierId: st.dossierId, kind: 'coda', documentId: st.id }]} />
      </p>
      {st.findings.length > 0 && (
        <ul className="findings">
          {st.findings.map((f, i) => (
            <li key={i}>
              <span className={`badge ${f.severity === 'error' ? 'bad' : 'warn'}`}>{t(`severity.${f.severity}`)}</span> {f.message}
              {f.line ? ` (${t('statement.line', { line: f.line })})` : ''}
            </li>
          ))}
        </ul>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th>{t('statement.date')}</th>
            <th>{t('document.counterparty')}</th>
            <th className="num">{t('statement.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {st.movementsList.map((m) => (
            <tr key={m.sequence}>
              <td>{formatDate(language, m.date)}</td>
              <td title={m.communication ?? ''}>
                {m.counterparty ?? '—'}
                <div className="muted">{m.communication}</div>
              </td>
              <td className="num">{formatMoney(language, m.amount, st.currency, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
