import { useTranslation } from 'react-i18next';

export function ExportsPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('exports.title')}</h1>
      <p className="muted">{t('exports.empty')}</p>
    </section>
  );
}
