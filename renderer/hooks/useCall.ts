import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiErrorData } from '../../shared/api';
import { errorData } from '../api';

/** One call's answer for a screen: the value, or the error with a reload; never stuck on loading. */
export function useCall<T>(load: () => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const generation = useRef(0);
  const loader = useCallback(load, deps);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setError(null);
    try {
      const next = await loader();
      if (mine === generation.current) setValue(next);
    } catch (e) {
      if (mine === generation.current) setError(errorData(e));
    }
  }, [loader]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, error, reload, setValue };
}
