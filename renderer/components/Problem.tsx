import { useTranslation } from 'react-i18next';
import type { ApiErrorData } from '../../shared/api';
import { errorText } from '../i18n';

/** An error in the place of what could not be loaded: what went wrong, and a way to try again. */
export function Problem({ error, onRetry }: { error: ApiErrorData | { code: string; message: string }; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="banner error" role="alert">
      {errorText(t, error)}
      {onRetry && (
        <button className="secondary small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

/** "Loading…" that never stays forever: the error and a retry once the call fails. */
export function Loading({ error, onRetry }: { error: ApiErrorData | null; onRetry(): void }) {
  const { t } = useTranslation();
  if (error) return <Problem error={error} onRetry={onRetry} />;
  return (
    <p className="muted" role="status">
      {t('app.loading')}
    </p>
  );
}
