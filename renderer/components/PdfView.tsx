import { useEffect, useRef, useState } from 'react';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { api, errorData } from '../api';
import { errorText, useFormat } from '../i18n';

const MAX_PAGES = 20;

/**
 * The PDF kept with an invoice, drawn with pdf.js onto canvases in the app itself: no plug-in, no
 * external viewer, nothing outside the content security policy (the worker is one of the app's files,
 * and no font or script is evaluated from the PDF).
 */
export function PdfView({ documentId, label }: { documentId: string; label: string }) {
  const { t } = useFormat();
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'done' | 'none'>('loading');
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [pages, setPages] = useState(0);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const container = host.current!;
    container.replaceChildren();
    setState('loading');
    setError(null);
    (async () => {
      const pdf = await api.call('documents.pdf', { id: documentId });
      if (!pdf) return setState('none');
      const bytes = Uint8Array.from(atob(pdf.base64), (c) => c.charCodeAt(0));
      const pdfjs = await import('pdfjs-dist');
      pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
      const doc = await pdfjs.getDocument({ data: bytes, isEvalSupported: false, enableXfa: false }).promise;
      const count = Math.min(doc.numPages, MAX_PAGES);
      const width = Math.max(240, container.clientWidth - 2);
      for (let n = 1; n <= count && !cancelled; n++) {
        const page = await doc.getPage(n);
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (width / base.width) * (window.devicePixelRatio || 1) });
        const canvas = document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        // The pane can narrow after drawing (the invoice beside it lays out late): the page follows its width.
        canvas.style.width = '100%';
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', t('pdf.page', { n, total: doc.numPages }));
        container.append(canvas);
        await page.render({ canvas, viewport }).promise;
      }
      await doc.destroy();
      if (!cancelled) {
        setPages(doc.numPages);
        setState('done');
      }
    })().catch((e) => {
      if (!cancelled) setError(errorData(e));
    });
    return () => {
      cancelled = true;
    };
  }, [documentId, attempt]);

  return (
    <section className="pdf" aria-label={label} data-testid="pdf-view" data-state={error ? 'error' : state}>
      {state === 'loading' && !error && (
        <p className="muted" role="status">
          {t('pdf.loading')}
        </p>
      )}
      {state === 'none' && <p className="muted">{t('pdf.none')}</p>}
      {error && (
        <div className="banner error" role="alert">
          {t('pdf.failed')} {errorText(t, error)}{' '}
          <button className="secondary small" onClick={() => setAttempt((a) => a + 1)}>
            {t('app.retry')}
          </button>
        </div>
      )}
      <div ref={host} className="pdf-pages" />
      {state === 'done' && pages > MAX_PAGES && <p className="muted">{t('pdf.more', { count: pages - MAX_PAGES })}</p>}
    </section>
  );
}
