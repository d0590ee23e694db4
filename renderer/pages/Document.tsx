import { useEffect, useState } from 'react';
import type { DocumentChecks, DocumentDetail, FindingView, PartyBlock } from '../../shared/api';
import { formatEnterpriseNumber, formatStructuredCommunication } from '../../shared/belgian';
import { api, errorData } from '../api';
import { FileChip } from '../components/FileChip';
import { PdfView } from '../components/PdfView';
import { Loading, Problem } from '../components/Problem';
import { useCall } from '../hooks/useCall';
import { findingText, useFormat } from '../i18n';
import { useApp } from '../store';

/** An invoice or credit note as it reads on paper, with the PDF beside it and how it was paid. */
export function DocumentPage({ id }: { id: string }) {
  const { t } = useFormat();
  const { back, dataVersion } = useApp();
  const doc = useCall(() => api.call('documents.get', { id }), [id, dataVersion]);
  // The official checks run in the background: their findings replace "checking…" when they arrive.
  useEffect(() => api.on('documents.checked', ({ ids }) => ids.includes(id) && void doc.reload()), [id, doc.reload]);
  const d = doc.value;
  return (
    <section aria-labelledby="document-title" className="document-page">
      <button className="link back" onClick={back}>
        ← {t('app.back')}
      </button>
      {!d ? <Loading error={doc.error} onRetry={() => void doc.reload()} /> : <Invoice doc={d} />}
    </section>
  );
}

function Invoice({ doc: d }: { doc: DocumentDetail }) {
  const { t, date, money, decimal, percent } = useFormat();
  const navigate = useApp((s) => s.navigate);
  const inv = d.invoice;
  const c = d.currency;
  return (
    <>
      <h1 id="document-title">
        {t(`document.kinds.${d.kind}`)} {d.number}{' '}
        <span className="badges inline">
          {d.errors > 0 ? <span className="badge bad">{t('document.errors', { count: d.errors })}</span> : <span className="badge good">{t('document.valid')}</span>}
          {d.held && <span className="badge warn">{t('document.held')}</span>}
          {d.exported && <span className="badge">{t('document.exported')}</span>}
          {d.paid ? <span className="badge good">{t('document.paid')}</span> : <span className="badge warn">{t('document.unpaid')}</span>}
        </span>
      </h1>
      <div className={d.hasPdf ? 'invoice-layout' : 'invoice-layout single'}>
        <article className="invoice" aria-label={t('document.invoice')}>
          <dl className="invoice-dates">
            <div>
              <dt>{t('document.issueDate')}</dt>
              <dd>{date(d.issueDate)}</dd>
            </div>
            {d.dueDate && (
              <div>
                <dt>{t('document.dueDate')}</dt>
                <dd>{date(d.dueDate)}</dd>
              </div>
            )}
            <div>
              <dt>{t('document.direction')}</dt>
              <dd>{t(`dossier.${d.direction}`)}</dd>
            </div>
            {inv?.references.order && (
              <div>
                <dt>{t('document.orderReference')}</dt>
                <dd>{inv.references.order}</dd>
              </div>
            )}
            {inv && inv.references.invoices.length > 0 && (
              <div>
                <dt>{t('document.creditedInvoices')}</dt>
                <dd>{inv.references.invoices.join(', ')}</dd>
              </div>
            )}
          </dl>
          {inv ? (
            <>
              <div className="parties">
                <Party title={t('document.seller')} party={inv.seller} />
                <Party title={t('document.buyer')} party={inv.buyer} />
              </div>
              <h2>{t('document.lines')}</h2>
              <table className="grid lines" data-testid="invoice-lines">
                <thead>
                  <tr>
                    <th scope="col">{t('document.description')}</th>
                    <th scope="col" className="num">
                      {t('document.quantity')}
                    </th>
                    <th scope="col" className="num">
                      {t('document.unitPrice')}
                    </th>
                    <th scope="col" className="num">
                      {t('document.vatRate')}
                    </th>
                    <th scope="col" className="num">
                      {t('document.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.lines.map((l, i) => (
                    <tr key={i}>
                      <td className="wrap">{l.description}</td>
                      <td className="num">
                        {decimal(l.quantity)}
                        {l.unitCode && l.unitCode !== 'C62' ? ` ${t(`units.${l.unitCode}`, { defaultValue: l.unitCode })}` : ''}
                      </td>
                      <td className="num">{decimal(l.unitPrice, 2)}</td>
                      <td className="num">{percent(l.vatRate)}</td>
                      <td className="num">{money(l.lineTotal, c)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="vat-and-totals">
                <section aria-labelledby="vat-title">
                  <h2 id="vat-title">{t('document.vatBreakdown')}</h2>
                  <table className="grid" data-testid="vat-breakdown">
                    <thead>
                      <tr>
                        <th scope="col">{t('document.vatRate')}</th>
                        <th scope="col" className="num">
                          {t('document.taxable')}
                        </th>
                        <th scope="col" className="num">
                          {t('document.vat')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {inv.vatBreakdown.map((v, i) => (
                        <tr key={i}>
                          <td>
                            {v.rate !== null ? percent(v.rate) : ''} <span className="muted">{t(`vatCategory.${v.category}`, { defaultValue: v.category })}</span>
                            {v.exemptionReason && <div className="muted small">{v.exemptionReason}</div>}
                          </td>
                          <td className="num">{money(v.taxable, c)}</td>
                          <td className="num">{money(v.tax, c)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
                <dl className="totals" data-testid="totals">
                  {inv.totals.allowances !== 0 && <Total label={t('document.allowances')} value={money(-inv.totals.allowances, c)} />}
                  {inv.totals.charges !== 0 && <Total label={t('document.charges')} value={money(inv.totals.charges, c)} />}
                  <Total label={t('document.totalExclLong')} value={money(inv.totals.excl, c)} />
                  <Total label={t('document.vatTotal')} value={money(inv.totals.vat, c)} />
                  <Total label={t('document.totalInclLong')} value={money(inv.totals.incl, c)} />
                  {inv.totals.prepaid !== 0 && <Total label={t('document.prepaid')} value={money(-inv.totals.prepaid, c)} />}
                  {inv.totals.rounding !== 0 && <Total label={t('document.rounding')} value={money(inv.totals.rounding, c)} />}
                  <Total label={t('document.payable')} value={money(inv.totals.payable, c)} strong />
                </dl>
              </div>
              {inv.notes.length > 0 && (
                <p className="notes">
                  {inv.notes.map((n, i) => (
                    <span key={i}>{n}</span>
                  ))}
                </p>
              )}
            </>
          ) : (
            <p className="banner error">{t('document.unreadable')}</p>
          )}
          <section aria-labelledby="payment-title" className="payment" data-testid="payment">
            <h2 id="payment-title">{t('document.payment')}</h2>
            <dl className="facts">
              {d.paymentReference && (
                <>
                  <dt>{t('document.paymentReference')}</dt>
                  <dd className="mono" data-testid="payment-reference">
                    {inv?.structured || /^\d{12}$/.test(d.paymentReference) ? formatStructuredCommunication(d.paymentReference) : d.paymentReference}
                  </dd>
                </>
              )}
              {inv?.paymentAccount && (
                <>
                  <dt>{t('document.payTo')}</dt>
                  <dd className="mono">
                    {inv.paymentAccount.iban}
                    {inv.paymentAccount.bic ? ` · BIC ${inv.paymentAccount.bic}` : ''}
                    {inv.paymentAccount.name ? ` · ${inv.paymentAccount.name}` : ''}
                  </dd>
                </>
              )}
              <dt>{t('document.paymentStatus')}</dt>
              <dd>
                {d.payments.length === 0 ? (
                  <span className="badge warn">{t('document.noPaymentSeen')}</span>
                ) : (
                  <ul className="plain">
                    {d.payments.map((p) => (
                      <li key={`${p.statementId}:${p.sequence}`}>
                        <button className="link" onClick={() => navigate({ place: 'statement', id: p.statementId })} data-testid="payment-link">
                          {t('document.paidOn', { date: date(p.date), amount: money(p.amount, c), statement: p.statement })}
                        </button>
                        {p.counterparty && <span className="muted"> · {p.counterparty}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </dl>
          </section>
          <Findings findings={d.findings} checks={d.checks} />
          <HoldBack doc={d} />
          <section aria-labelledby="files-title">
            <h2 id="files-title">{t('document.files')}</h2>
            <p className="chips">
              <FileChip name={d.number} item={{ dossierId: d.dossierId, kind: d.direction, documentId: d.id }} />
              {d.hasPdf && <FileChip name={d.number} item={{ dossierId: d.dossierId, kind: 'pdf', documentId: d.id }} />}
              {d.hasPdf && (
                <FileChip
                  label={t('document.both')}
                  items={[
                    { dossierId: d.dossierId, kind: d.direction, documentId: d.id },
                    { dossierId: d.dossierId, kind: 'pdf', documentId: d.id },
                  ]}
                />
              )}
            </p>
            <h3>{t('document.exports')}</h3>
            {d.exports.length === 0 ? (
              <p className="muted">{t('document.notExported')}</p>
            ) : (
              <ul className="plain">
                {d.exports.map((e, i) => (
                  <li key={i}>
                    <code>{e.path}</code> · {date(e.at)}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </article>
        {d.hasPdf && <PdfView documentId={d.id} label={t('pdf.label', { number: d.number })} />}
      </div>
    </>
  );
}

function Party({ title, party }: { title: string; party: PartyBlock }) {
  const { t } = useFormat();
  return (
    <section className="party" aria-label={title}>
      <h2>{title}</h2>
      <p>
        <strong>{party.name || '—'}</strong>
        {party.address.map((line, i) => (
          <span key={i}>{line}</span>
        ))}
      </p>
      <dl className="facts compact">
        {party.vatNumber && (
          <>
            <dt>{t('document.vatNumber')}</dt>
            <dd>{party.vatNumber}</dd>
          </>
        )}
        {party.enterpriseNumber && (
          <>
            <dt>{t('document.enterpriseNumber')}</dt>
            <dd>{formatEnterpriseNumber(party.enterpriseNumber)}</dd>
          </>
        )}
        {party.email && (
          <>
            <dt>{t('dossiers.email')}</dt>
            <dd>{party.email}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Total({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <div className={strong ? 'total strong' : 'total'}>
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

export function Findings({ findings, checks }: { findings: FindingView[]; checks?: DocumentChecks }) {
  const { t, language, dateTime } = useFormat();
  const checking = checks?.state === 'checking';
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">{t('document.findings')}</h2>
      {checking && (
        <p className="muted" role="status" data-testid="checking">
          {t('document.checking')}
        </p>
      )}
      {checks?.state === 'failed' && <p className="banner error">{t('document.checkFailed')}</p>}
      {checks?.release && !checking && (
        <p className="muted" data-testid="rules-release">
          {t('document.rulesRelease', { release: checks.release, date: dateTime(checks.checkedAt) })}
        </p>
      )}
      {findings.length === 0 ? (
        <p className="muted">{checking ? t('document.noFindingsYet') : t('document.noFindings')}</p>
      ) : (
        <ul className="findings" data-testid="findings">
          {findings.map((f, i) => (
            <li key={i}>
              <span className={`badge ${f.severity === 'error' ? 'bad' : 'warn'}`}>{t(`severity.${f.severity}`)}</span> <code>{f.code}</code> <span title={f.message}>{findingText(t, language, f)}</span>
              {f.line ? <span className="muted"> ({t('statement.line', { line: f.line })})</span> : null}
              {f.location && (
                <div className="muted finding-where">
                  <code className="path">{f.location}</code>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Venice's import rules would refuse the file (a number already delivered, another enterprise number): it is
 * held back from the export folders until the accountant decides; the decision can be changed both ways.
 */
function HoldBack({ doc: d }: { doc: DocumentDetail }) {
  const { t } = useFormat();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const venice = d.findings.some((f) => f.source === 'venice');
  if (!d.held && !venice) return null;
  const decide = async (hold: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await api.call('documents.hold', { ids: [d.id], hold });
      useApp.setState((s) => ({ dataVersion: s.dataVersion + 1 }));
    } catch (e) {
      setError(errorData(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="hold-title" data-testid="hold-back">
      <h2 id="hold-title">{t('document.holdTitle')}</h2>
      <p>{d.held ? t('document.heldWhy') : d.exported ? t('document.deliveredAnyway') : t('document.releasedWhy')}</p>
      {d.held ? (
        <button className="primary" disabled={busy} onClick={() => void decide(false)}>
          {t('document.release')}
        </button>
      ) : (
        !d.exported && (
          <button className="secondary" disabled={busy} onClick={() => void decide(true)}>
            {t('document.hold')}
          </button>
        )
      )}
      {error && <Problem error={error} />}
    </section>
  );
}
