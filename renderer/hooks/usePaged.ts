import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiErrorData, Page } from '../../shared/api';
import { errorData } from '../api';

/**
 * Keyset-paged list: loads the first page when the query changes, more pages on demand.
 * The Node side pages; the renderer never holds more than what was scrolled through.
 */
export function usePaged<T>(load: (after: string | undefined) => Promise<Page<T>>, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [loaded, setLoaded] = useState(false);
  const generation = useRef(0);
  const loader = useCallback(load, deps);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await loader(undefined);
      if (mine !== generation.current) return;
      setItems(page.items);
      setTotal(page.total);
      setNext(page.next);
      setError(null);
      setLoaded(true);
    } catch (e) {
      if (mine === generation.current) setError(errorData(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [loader]);

  const more = useCallback(async () => {
    if (!next || loading) return;
    const mine = generation.current;
    setLoading(true);
    try {
      const page = await loader(next);
      if (mine !== generation.current) return;
      setItems((prev) => [...prev, ...page.items]);
      setNext(page.next);
    } catch (e) {
      setError(errorData(e));
    } finally {
      setLoading(false);
    }
  }, [loader, next, loading]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { items, total, hasMore: next !== null, loading, loaded, error, reload, more };
}
