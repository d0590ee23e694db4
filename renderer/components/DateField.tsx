import { useEffect, useId, useState } from 'react';
import { formatDate, parseDate } from '../../shared/format';
import { useFormat } from '../i18n';

/**
 * A date typed the Belgian way (dd/mm/yyyy), never the browser's own date input, which follows the OS
 * locale and shows mm/dd/yyyy on many machines. The value is an ISO date, or '' for none.
 */
export function DateField({ label, value, onChange }: { label: string; value: string; onChange(iso: string): void }) {
  const { t, language } = useFormat();
  const [text, setText] = useState(value ? formatDate(language, value) : '');
  const [invalid, setInvalid] = useState(false);
  const errorId = useId();
  useEffect(() => {
    setText(value ? formatDate(language, value) : '');
    setInvalid(false);
  }, [value, language]);
  const commit = () => {
    if (text.trim() === '') {
      setInvalid(false);
      if (value) onChange('');
      return;
    }
    const iso = parseDate(text);
    setInvalid(iso === null);
    if (iso !== null) {
      setText(formatDate(language, iso));
      if (iso !== value) onChange(iso);
    }
  };
  return (
    <label className="date-field">
      <span>{label}</span>
      <input
        type="text"
        inputMode="numeric"
        placeholder={t('date.placeholder')}
        value={text}
        size={10}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? errorId : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {invalid && (
        <span id={errorId} className="field-error" role="alert">
          {t('date.invalid')}
        </span>
      )}
    </label>
  );
}
