import type { ReviewRow } from '../../shared/api';
import { api } from '../api';
import { Problem } from '../components/Problem';
import { Truncated, VirtualTable, type Column } from '../components/VirtualTable';
import { usePaged } from '../hooks/usePaged';
import { useFormat } from '../i18n';
import { useApp } from '../store';

/**
 * What Venice must not see as it is, in every dossier: documents held back, documents whose export failed,
 * and documents with errors, newest first. Each opens its invoice view, where it is released or explained.
 */
export function ReviewPage() {
  const { t, date, money, number } = useFormat();
  const { dataVersion, navigate } = useApp();
  const list = usePaged((after) => api.call('documents.review', { after, limit: 200 }), [dataVersion]);
  const open = (row: ReviewRow) => navigate({ place: 'document', id: row.id });

  const columns: Column<ReviewRow>[] = [
    { key: 'date', header: t('document.issueDate'), width: '88px', render: (d) => date(d.issueDate) },
    {
      key: 'dossier',
      header: t('review.dossier'),
      width: 'minmax(140px, 1.4fr)',
      render: (d) => <Truncated text={d.dossierName} />,
    },
    { key: 'journal', header: t('document.direction'), width: '96px', render: (d) => t(`dossier.${d.direction}`) },
    {
      key: 'number',
      header: t('document.number'),
      width: 'minmax(100px, 0.8fr)',
      render: (d) => <Truncated text={d.number} />,
    },
    {
      key: 'party',
      header: t('document.counterparty'),
      width: 'minmax(140px, 1.4fr)',
      render: (d) => <Truncated text={d.counterparty} />,
    },
    { key: 'incl', header: t('document.totalIncl'), width: '112px', numeric: true, render: (d) => money(d.totalIncl, d.currency) },
    {
      key: 'why',
      header: t('review.why'),
      width: '200px',
      render: (d) => (
        <span className="badges">
          {d.reason !== 'errors' && <span className="badge warn">{t(`review.reasons.${d.reason}`)}</span>}
          {d.errors > 0 ? (
            <span className="badge bad">{t('document.errors', { count: d.errors })}</span>
          ) : (
            d.reason === 'errors' && <span className="badge bad">{t('review.reasons.errors')}</span>
          )}
        </span>
      ),
    },
  ];

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      <p className="muted">{t('review.intro')}</p>
      <p className="muted" role="status">
        {t('dossier.count', { count: list.total, n: number(list.total) })}
      </p>
      {list.error && <Problem error={list.error} onRetry={() => void list.reload()} />}
      <VirtualTable
        label={t('review.title')}
        rows={list.items}
        columns={columns}
        rowKey={(d) => d.id}
        onOpen={open}
        onActivate={open}
        onEndReached={() => void list.more()}
        testId="review-list"
        empty={list.loaded ? t('review.empty') : t('app.loading')}
      />
    </section>
  );
}
