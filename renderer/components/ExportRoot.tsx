import { useEffect, useState } from 'react';
import type { ExportProfile } from '../../shared/export';
import { api, errorData } from '../api';
import { errorText, useFormat } from '../i18n';
import { useApp } from '../store';

/** A folder typed, or chosen with the desktop's folder picker (Electron); browser mode can only type it. */
export function FolderInput({ label, value, onChange }: { label: string; value: string; onChange(v: string): void }) {
  const { t } = useFormat();
  const desktop = useApp((s) => s.info?.desktop.pickFolder ?? false);
  return (
    <div className="toolbar folder">
      <label className="field grow">
        <span>{label}</span>
        <input type="text" value={value} placeholder={t('exports.rootPlaceholder')} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
      </label>
      {desktop && (
        <button className="secondary" type="button" onClick={() => void api.call('app.pickFolder', { title: label }).then((r) => r.path && onChange(r.path))}>
          {t('exports.choose')}
        </button>
      )}
    </div>
  );
}

/** The office's export root, on its own (Settings); the Exports page edits it with the templates. */
export function ExportRootField() {
  const { t } = useFormat();
  const [profile, setProfile] = useState<ExportProfile | null>(null);
  const [root, setRoot] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  useEffect(() => {
    api.call('exports.profile.get', { dossierId: null }).then(
      (v) => {
        setProfile(v.profile);
        setRoot(v.profile.root ?? '');
      },
      (e) => setError(errorData(e)),
    );
  }, []);
  if (!profile) return error ? <p className="banner error">{errorText(t, error)}</p> : null;
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      const view = await api.call('exports.profile.set', { dossierId: null, profile: { ...profile, root: root.trim() || null } });
      setProfile(view.profile);
      setSaved(true);
    } catch (e) {
      setError(errorData(e));
    }
  };
  return (
    <>
      <FolderInput label={t('exports.root')} value={root} onChange={(v) => (setRoot(v), setSaved(false))} />
      <div className="toolbar">
        <button className="primary" disabled={root.trim() === (profile.root ?? '')} onClick={() => void save()}>
          {t('exports.save')}
        </button>
        {saved && (
          <span className="muted" role="status">
            {t('exports.saved')}
          </span>
        )}
      </div>
      {error && (
        <p className="banner error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </>
  );
}
