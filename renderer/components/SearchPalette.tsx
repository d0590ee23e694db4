import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { SearchHit } from '../../shared/api';
import { formatStructuredCommunication, isValidStructuredCommunication } from '../../shared/belgian';
import { api, errorData } from '../api';
import { errorText, useFormat } from '../i18n';
import { useApp, type View } from '../store';

type Group = 'dossiers' | 'documents' | 'statements';
const groupOf = (hit: SearchHit): Group => (hit.kind === 'dossier' ? 'dossiers' : hit.kind === 'document' ? 'documents' : 'statements');
const order: Group[] = ['dossiers', 'documents', 'statements'];

export function viewOf(hit: SearchHit): View {
  if (hit.kind === 'dossier') return { place: 'dossier', id: hit.id, tab: 'sales' };
  if (hit.kind === 'document') return { place: 'document', id: hit.id };
  return { place: 'statement', id: hit.id };
}

/**
 * Search everywhere (Ctrl+K or the sidebar field): dossiers, invoices, statements and their movements by
 * name, number, amount in Belgian notation, structured communication, enterprise or VAT number. Results
 * come grouped; arrows move, Enter opens, Esc closes.
 */
export function SearchPalette() {
  const { search, closeSearch, navigate } = useApp();
  if (!search.open) return null;
  return (
    <SearchDialog
      initial={search.text}
      onClose={closeSearch}
      onOpen={(hit) => {
        closeSearch();
        navigate(viewOf(hit));
      }}
    />
  );
}

function SearchDialog({ initial, onClose, onOpen }: { initial: string; onClose(): void; onOpen(hit: SearchHit): void }) {
  const { t, money, date } = useFormat();
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initial);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [active, setActive] = useState(0);
  const generation = useRef(0);
  const ids = useId();
  const listId = `${ids}-list`;

  useEffect(() => {
    const dialog = ref.current!;
    const before = document.activeElement as HTMLElement | null;
    dialog.showModal();
    input.current?.focus();
    const end = input.current?.value.length ?? 0;
    input.current?.setSelectionRange(end, end);
    return () => {
      dialog.close();
      before?.focus?.();
    };
  }, []);

  useEffect(() => {
    const mine = ++generation.current;
    const q = text.trim();
    if (!q) {
      setHits(null);
      return;
    }
    api.call('search.all', { text: q, limit: 60 }).then(
      (r) => {
        if (mine !== generation.current) return;
        setHits(r.hits);
        setError(null);
        setActive(0);
      },
      (e) => mine === generation.current && setError(errorData(e)),
    );
  }, [text]);

  const grouped = useMemo(() => {
    const flat: SearchHit[] = [];
    const groups = order
      .map((g) => ({ group: g, hits: (hits ?? []).filter((h) => groupOf(h) === g) }))
      .filter((g) => g.hits.length > 0);
    for (const g of groups) flat.push(...g.hits);
    return { groups, flat };
  }, [hits]);

  const optionId = (i: number) => `${ids}-o${i}`;
  const onKey = (e: React.KeyboardEvent) => {
    const n = grouped.flat.length;
    if (e.key === 'ArrowDown' && n) {
      e.preventDefault();
      setActive((a) => (a + 1) % n);
    } else if (e.key === 'ArrowUp' && n) {
      e.preventDefault();
      setActive((a) => (a - 1 + n) % n);
    } else if (e.key === 'Escape') {
      // A search field's own Esc would only clear it: here Esc closes, as everywhere in the app.
      e.preventDefault();
      onClose();
    } else if (e.key === 'Enter' && n) {
      e.preventDefault();
      onOpen(grouped.flat[Math.min(active, n - 1)]!);
    }
  };

  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  let index = -1;
  return (
    <dialog
      ref={ref}
      className="dialog search"
      aria-label={t('search.title')}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => e.target === ref.current && onClose()}
      data-testid="search-dialog"
    >
      <input
        ref={input}
        type="search"
        role="combobox"
        aria-label={t('search.label')}
        aria-expanded={grouped.flat.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={grouped.flat.length ? optionId(Math.min(active, grouped.flat.length - 1)) : undefined}
        placeholder={t('search.hint')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
      />
      {error && (
        <p className="banner error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {hits && hits.length === 0 && (
        <p className="muted" role="status">
          {t('search.none')}
        </p>
      )}
      <div id={listId} role="listbox" aria-label={t('search.results')} className="search-results">
        {grouped.groups.map((g) => (
          <div key={g.group} role="group" aria-labelledby={`${ids}-${g.group}`}>
            <div id={`${ids}-${g.group}`} className="search-group" role="presentation">
              {t(`search.groups.${g.group}`)}
            </div>
            {g.hits.map((hit) => {
              const i = ++index;
              const detail =
                hit.detail && /^\d{12}$/.test(hit.detail) && isValidStructuredCommunication(hit.detail) ? formatStructuredCommunication(hit.detail) : hit.detail;
              return (
                <div
                  key={`${hit.kind}:${hit.id}:${i}`}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'search-hit active' : 'search-hit'}
                  onMouseMove={() => setActive(i)}
                  onClick={() => onOpen(hit)}
                >
                  <span className="search-title">{hit.title || '—'}</span>
                  <span className="muted">
                    {[hit.kind === 'dossier' ? null : hit.dossierName, detail, hit.date ? date(hit.date) : null].filter(Boolean).join(' · ')}
                  </span>
                  {hit.amount !== null && <span className="num">{money(hit.kind === 'movement' ? hit.amount : hit.amount, hit.currency ?? 'EUR')}</span>}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </dialog>
  );
}
