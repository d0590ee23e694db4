import type { MovementRow, StatementDetail } from '../../shared/api';
import { formatIban, formatStructuredCommunication } from '../../shared/belgian';
import { api } from '../api';
import { FileChip } from '../components/FileChip';
import { Loading } from '../components/Problem';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { useCall } from '../hooks/useCall';
import { useFormat } from '../i18n';
import { useApp } from '../store';
import { Findings } from './Document';

/** A bank statement as the bank prints it, each movement with the invoice it pays (or none). */
export function StatementPage({ id }: { id: string }) {
  const { t } = useFormat();
  const { back, dataVersion } = useApp();
  const st = useCall(() => api.call('statements.get', { id }), [id, dataVersion]);
  return (
    <section aria-labelledby="statement-title">
      <button className="link back" onClick={back}>
        ← {t('app.back')}
      </button>
      {!st.value ? <Loading error={st.error} onRetry={() => void st.reload()} /> : <Statement s={st.value} />}
    </section>
  );
}

function Statement({ s }: { s: StatementDetail }) {
  const { t, date, money, number } = useFormat();
  const navigate = useApp((x) => x.navigate);
  const matched = s.movementsList.filter((m) => m.paysDocumentId).length;
  const columns: Column<MovementRow>[] = [
    { key: 'seq', header: t('statement.sequenceShort'), width: '52px', render: (m) => m.sequence },
    { key: 'date', header: t('statement.date'), width: '92px', render: (m) => date(m.date) },
    {
      key: 'party',
      header: t('statement.counterparty'),
      width: 'minmax(170px, 1.3fr)',
      render: (m) => (
        <div className="two-lines">
          <span className="truncate" title={m.counterparty ?? ''}>
            {m.counterparty ?? '—'}
          </span>
          <span className="muted small nowrap">{m.counterpartyAccount ? formatIban(m.counterpartyAccount) : ''}</span>
        </div>
      ),
    },
    {
      key: 'comm',
      header: t('statement.communication'),
      width: 'minmax(170px, 1.3fr)',
      render: (m) =>
        m.structured && m.communication ? (
          <span className="mono nowrap">{formatStructuredCommunication(m.communication)}</span>
        ) : (
          <span className="truncate" title={m.communication ?? ''}>
            {m.communication ?? ''}
          </span>
        ),
    },
    { key: 'amount', header: t('statement.amount'), width: '118px', numeric: true, render: (m) => <span className={m.amount < 0 ? 'bad' : undefined}>{money(m.amount, s.currency, 3)}</span> },
    {
      key: 'pays',
      header: t('statement.pays'),
      width: '150px',
      render: (m) =>
        m.paysDocumentId ? (
          <button className="link truncate" onClick={() => navigate({ place: 'document', id: m.paysDocumentId! })} data-testid="paid-invoice">
            {m.paysDocumentNumber ?? m.paysDocumentId}
          </button>
        ) : (
          <span className="badge" data-testid="unmatched">
            {t('statement.unmatched')}
          </span>
        ),
    },
  ];
  return (
    <>
      <h1 id="statement-title">
        {t('statement.heading', { number: s.sequence })} <span className="muted nowrap">{formatIban(s.account)}</span>
      </h1>
      <dl className="statement-facts" data-testid="statement-facts">
        <div>
          <dt>{t('statement.account')}</dt>
          <dd className="mono nowrap">{formatIban(s.account)}</dd>
        </div>
        <div>
          <dt>{t('statement.sequence')}</dt>
          <dd>{s.sequence}</dd>
        </div>
        <div>
          <dt>{t('statement.date')}</dt>
          <dd>{date(s.date)}</dd>
        </div>
        <div>
          <dt>{t('statement.oldBalance')}</dt>
          <dd className="num">{money(s.oldBalance, s.currency, 3)}</dd>
        </div>
        <div>
          <dt>{t('statement.newBalance')}</dt>
          <dd className="num">{money(s.newBalance, s.currency, 3)}</dd>
        </div>
        <div>
          <dt>{t('statement.movements')}</dt>
          <dd>
            {number(s.movementsList.length)} · {t('statement.matched', { count: matched })}
          </dd>
        </div>
      </dl>
      <p className="chips">
        <FileChip name={s.sequence} item={{ dossierId: s.dossierId, kind: 'coda', documentId: s.id }} />
      </p>
      <VirtualTable
        label={t('statement.movements')}
        rows={s.movementsList}
        columns={columns}
        rowKey={(m) => m.sequence}
        rowHeight={44}
        height={`${Math.min(34 + 44 * s.movementsList.length + 2, 560)}px`}
        testId="movements"
      />
      <Findings findings={s.findings} />
    </>
  );
}
