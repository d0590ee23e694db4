import { useTranslation } from 'react-i18next';
import type { AddOutcome, BillitStatus } from '../../shared/api';

const tone: Record<BillitStatus, string> = {
  'not-in-billit': '',
  'not-linked': 'warn',
  'link-confirmation-needed': 'warn',
  'link-pending': 'warn',
  'link-refused': 'bad',
  'login-not-activated': 'warn',
  linked: 'good',
};

/** A sign as well as a colour, so the state reads without colour too. */
const sign: Record<BillitStatus, string> = {
  'not-in-billit': '○',
  'not-linked': '◐',
  'link-confirmation-needed': '!',
  'link-pending': '…',
  'link-refused': '✕',
  'login-not-activated': '✉',
  linked: '✓',
};

export function StatusBadge({ status }: { status: BillitStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${tone[status]}`} data-status={status}>
      <span aria-hidden="true">{sign[status]}</span> {t(`billitStatus.${status}`)}
    </span>
  );
}

const outcomeTone: Record<AddOutcome, string> = {
  created: 'good',
  'link-confirmation-needed': 'warn',
  'link-requested': 'warn',
  resynced: 'good',
  failed: 'bad',
};

export function OutcomeBadge({ outcome }: { outcome: AddOutcome }) {
  const { t } = useTranslation();
  return <span className={`badge ${outcomeTone[outcome]}`}>{t(`outcome.${outcome}`)}</span>;
}
