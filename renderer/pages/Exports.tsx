import { useEffect, useMemo, useState } from 'react';
import type { DossierRow, ExportHistoryEntry, ExportLayoutChange, ExportPreview } from '../../shared/api';
import { exportKind, exportKinds, templateVariables, validateProfile, type ExportKind, type ExportProfile } from '../../shared/export';
import { api, errorData } from '../api';
import { withToken } from '../api/socket';
import { Dialog } from '../components/Dialog';
import { FolderInput } from '../components/ExportRoot';
import { Problem } from '../components/Problem';
import { useFormat } from '../i18n';
import { useApp } from '../store';

/** A template problem in the screen's language, by its code. */
function problemText(t: ReturnType<typeof useFormat>['t'], p: { code: string; message: string; variable?: string }): string {
  return t(`exports.problems.${p.code}`, { variable: p.variable ?? '', defaultValue: p.message });
}

/**
 * Where files land: the office's export root and per-kind templates, with a live preview of
 * the path a real document of a chosen dossier would get, and each dossier's export history.
 */
export function ExportsPage() {
  const { t } = useFormat();
  const { dataVersion } = useApp();
  const [profile, setProfile] = useState<ExportProfile | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [dossiers, setDossiers] = useState<DossierRow[]>([]);
  const [dossierId, setDossierId] = useState<string>('');

  useEffect(() => {
    api.call('exports.profile.get', { dossierId: null }).then((v) => setProfile(v.profile), (e) => setError(errorData(e)));
    api.call('dossiers.list', { status: 'linked', limit: 500 }).then(
      (page) => {
        setDossiers(page.items);
        setDossierId((current) => current || page.items[0]?.id || '');
      },
      () => undefined,
    );
  }, [dataVersion]);

  const problems = useMemo(() => (profile ? validateProfile(profile) : []), [profile]);

  const save = async () => {
    if (!profile) return;
    setError(null);
    try {
      const view = await api.call('exports.profile.set', { dossierId: null, profile });
      setProfile(view.profile);
      setSaved(new Date().toISOString());
    } catch (e) {
      setError(errorData(e));
    }
  };

  const setKind = (kind: ExportKind, patch: Partial<ExportProfile['kinds'][ExportKind]>) =>
    setProfile((p) => (p ? { ...p, kinds: { ...p.kinds, [kind]: { ...p.kinds[kind], ...patch } } } : p));

  return (
    <section aria-labelledby="exports-title">
      <h1 id="exports-title">{t('exports.title')}</h1>
      {error && <Problem error={error} />}
      {profile && (
        <>
          <h2>{t('exports.root')}</h2>
          <FolderInput label={t('exports.root')} value={profile.root ?? ''} onChange={(v) => setProfile({ ...profile, root: v || null })} />
          <h2>{t('exports.templates')}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('exports.kind')}</th>
                <th>{t('exports.enabled')}</th>
                <th>{t('exports.folder')}</th>
                <th>{t('exports.file')}</th>
              </tr>
            </thead>
            <tbody>
              {exportKinds.map((kind) => (
                <tr key={kind}>
                  <td>{t(exportKind[kind].labelKey)}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('exports.enabledFor', { kind: t(exportKind[kind].labelKey) })}
                      checked={profile.kinds[kind].enabled}
                      onChange={(e) => setKind(kind, { enabled: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      className="email-input"
                      aria-label={t('exports.folderFor', { kind: t(exportKind[kind].labelKey) })}
                      value={profile.kinds[kind].folder}
                      onChange={(e) => setKind(kind, { folder: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      className="email-input"
                      aria-label={t('exports.fileFor', { kind: t(exportKind[kind].labelKey) })}
                      value={profile.kinds[kind].file}
                      onChange={(e) => setKind(kind, { file: e.target.value })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {t('exports.variables')}{' '}
            {Object.keys(templateVariables).map((v) => (
              <code key={v} style={{ marginRight: 6 }}>{`{${v}}`}</code>
            ))}
          </p>
          {problems.length > 0 && (
            <ul className="findings" role="alert">
              {problems.map((p, i) => (
                <li key={i}>
                  <span className="badge bad">{t(exportKind[p.kind].labelKey)}</span> {problemText(t, p)}
                </li>
              ))}
            </ul>
          )}
          <div className="toolbar">
            <button className="primary" disabled={problems.length > 0} onClick={save}>
              {t('exports.save')}
            </button>
            {saved && <span className="muted">{t('exports.saved')}</span>}
          </div>
          <h2>{t('exports.preview')}</h2>
          <div className="toolbar">
            <select aria-label={t('exports.dossier')} value={dossierId} onChange={(e) => setDossierId(e.target.value)}>
              {dossiers.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          {dossierId && <Previews dossierId={dossierId} profile={profile} valid={problems.length === 0} />}
          {dossierId && <History dossierId={dossierId} />}
        </>
      )}
    </section>
  );
}

function Previews({ dossierId, profile, valid }: { dossierId: string; profile: ExportProfile; valid: boolean }) {
  const { t } = useFormat();
  const [previews, setPreviews] = useState<Partial<Record<ExportKind, ExportPreview>>>({});
  useEffect(() => {
    if (!valid) return;
    let live = true;
    // Debounced: the preview follows typing without a call per key stroke.
    const timer = setTimeout(() => {
      for (const kind of exportKinds) {
        api.call('exports.preview', { dossierId, kind, profile }).then(
          (p) => live && setPreviews((prev) => ({ ...prev, [kind]: p })),
          () => undefined,
        );
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [dossierId, profile, valid]);
  return (
    <table className="grid" data-testid="export-preview">
      <tbody>
        {exportKinds.map((kind) => {
          const p = previews[kind];
          return (
            <tr key={kind}>
              <td>{t(exportKind[kind].labelKey)}</td>
              <td>
                {p?.absolutePath ? <code>{p.absolutePath}</code> : <span className="muted">{p?.problems.map((x) => problemText(t, x)).join('; ') ?? '…'}</span>}
                {p?.document?.label && <span className="muted"> — {t('exports.forDocument', { label: p.document.label })}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function History({ dossierId }: { dossierId: string }) {
  const { t, dateTime } = useFormat();
  const { dataVersion } = useApp();
  const [items, setItems] = useState<ExportHistoryEntry[]>([]);
  const [pending, setPending] = useState(0);
  const [busy, setBusy] = useState(false);
  const load = () =>
    api.call('exports.history', { dossierId, limit: 200 }).then(
      (h) => {
        setItems(h.items);
        setPending(h.pendingRetries);
      },
      () => undefined,
    );
  useEffect(() => {
    void load();
    const off = api.on('exports.changed', (s) => s.dossierId === dossierId && void load());
    return off;
  }, [dossierId, dataVersion]);

  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError(errorData(e));
    } finally {
      setBusy(false);
    }
  };
  const [layout, setLayout] = useState<ExportLayoutChange | null>(null);
  /** "Export again": the core asks first when files were delivered under an older layout. */
  const exportAgain = (relayout?: 'move' | 'copy') =>
    act(async () => {
      setLayout(null);
      try {
        await api.call('exports.run', { dossierId, includeAlreadyExported: true, ...(relayout ? { relayout } : {}) });
      } catch (e) {
        const data = errorData(e);
        if (data.code !== 'export-layout-changed') throw e;
        setLayout(data.details as ExportLayoutChange);
      }
    });
  const reveal = (historyId: number, action: 'show' | 'open') =>
    act(async () => {
      const r = await api.call('exports.reveal', { historyId, action });
      if (r.downloadUrl) window.open(withToken(r.downloadUrl), '_blank', 'noopener');
    });

  return (
    <>
      <h2>{t('exports.history')}</h2>
      <div className="toolbar">
        <button className="secondary" disabled={busy} onClick={() => act(() => api.call('exports.run', { dossierId }))}>
          {t('exports.runNow')}
        </button>
        <button className="secondary" disabled={busy} onClick={() => void exportAgain()}>
          {t('exports.includeExported')}
        </button>
        {pending > 0 && (
          <button className="primary" disabled={busy} onClick={() => act(() => api.call('exports.retry', { dossierId }))}>
            {t('exports.retry', { count: pending })}
          </button>
        )}
      </div>
      {error && <Problem error={error} />}
      {layout && <RelayoutDialog change={layout} onChoose={(choice) => (choice ? void exportAgain(choice) : setLayout(null))} />}
      {items.length === 0 ? (
        <p className="muted">{t('exports.empty')}</p>
      ) : (
        <table className="grid" data-testid="export-history">
          <thead>
            <tr>
              <th>{t('exports.when')}</th>
              <th>{t('exports.what')}</th>
              <th>{t('exports.status')}</th>
              <th>{t('exports.where')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.at)}</td>
                <td>{e.label ?? '—'}</td>
                <td>
                  <span className={`badge ${e.status === 'failed' ? 'bad' : e.status === 'conflict' ? 'warn' : 'good'}`}>{t(`exports.statuses.${e.status}`)}</span>
                  {e.reason && <span className="muted"> {t(`exports.reasons.${e.reason}`, { defaultValue: e.message ?? e.reason })}</span>}
                </td>
                <td>
                  <code>{e.relativePath ?? ''}</code>
                </td>
                <td>
                  {e.relativePath && e.status !== 'failed' && (
                    <>
                      <button className="back" onClick={() => reveal(e.id, 'show')}>
                        {t('exports.show')}
                      </button>{' '}
                      <button className="back" onClick={() => reveal(e.id, 'open')}>
                        {t('exports.open')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Move the delivered files to the new layout (the default), write copies, or leave it. */
function RelayoutDialog({ change, onChoose }: { change: ExportLayoutChange; onChoose(choice: 'move' | 'copy' | null): void }) {
  const { t } = useFormat();
  return (
    <Dialog
      title={t('exports.relayout.title')}
      testId="relayout-dialog"
      onClose={() => onChoose(null)}
      actions={
        <>
          <button className="primary" autoFocus onClick={() => onChoose('move')}>
            {t('exports.relayout.move')}
          </button>
          <button className="secondary" onClick={() => onChoose('copy')}>
            {t('exports.relayout.copy')}
          </button>
          <button className="secondary" onClick={() => onChoose(null)}>
            {t('exports.relayout.cancel')}
          </button>
        </>
      }
    >
      <p>{change.files === 1 ? t('exports.relayout.one') : t('exports.relayout.other', { count: change.files })}</p>
      <ul className="muted">
        {change.examples.map((e) => (
          <li key={e.from}>
            <code className="path">
              {e.from} → {e.to}
            </code>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
