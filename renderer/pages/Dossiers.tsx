import { useTranslation } from 'react-i18next';

export function DossiersPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('dossiers.title')}</h1>
      <p className="muted">{t('dossiers.empty')}</p>
    </section>
  );
}
