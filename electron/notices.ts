/**
 * Which events deserve a native notification, and what it says. A clean run says nothing (the tray shows
 * it); a run with problems or a failed run does, and so does an entrepreneur accepting or refusing a link.
 * Link changes that arrive together (the state refresh at start-up can change many) make one notification.
 */
import type { BillitStatus, Events, SyncRunSummary } from '../shared/api';
import type { UiLanguage } from '../shared/format';
import { dateTime, fill, shellTexts } from './shell-texts';

export interface ShellNotice {
  title: string;
  body: string;
}

export function syncNotice(language: UiLanguage, run: SyncRunSummary): ShellNotice | null {
  const t = shellTexts[language].notify;
  const at = dateTime(language, run.finishedAt ?? run.startedAt);
  if (run.status === 'failed') return { title: t.syncFailedTitle, body: fill(language, t.syncFailedBody, { at, message: run.message ?? '' }) };
  if (run.status === 'done' && run.errors > 0) return { title: t.syncProblemsTitle, body: fill(language, t.syncProblemsBody, { at, errors: run.errors }) };
  return null;
}

type LinkChange = Events['dossiers.linkChanged'];

/** States in which the office waits for the entrepreneur: leaving one for "linked" is an acceptance. */
const waitingForEntrepreneur: readonly BillitStatus[] = ['link-pending', 'login-not-activated'];

function verdict(change: LinkChange): 'accepted' | 'refused' | null {
  if (change.status === change.previous) return null;
  if (change.status === 'linked' && waitingForEntrepreneur.includes(change.previous)) return 'accepted';
  if (change.status === 'link-refused') return 'refused';
  return null;
}

/** Up to `each` notifications one per dossier; more changes at once make one summary. */
export function linkNotices(language: UiLanguage, changes: readonly LinkChange[], each = 3): ShellNotice[] {
  const t = shellTexts[language].notify;
  const decided = changes.map((c) => ({ change: c, verdict: verdict(c) })).filter((c) => c.verdict !== null);
  if (decided.length <= each) {
    return decided.map(({ change, verdict }) =>
      verdict === 'accepted'
        ? { title: t.linkAcceptedTitle, body: fill(language, t.linkAcceptedBody, { name: change.name }) }
        : { title: t.linkRefusedTitle, body: fill(language, t.linkRefusedBody, { name: change.name }) },
    );
  }
  const accepted = decided.filter((d) => d.verdict === 'accepted').length;
  return [{ title: t.linksTitle, body: fill(language, t.linksBody, { accepted, refused: decided.length - accepted }) }];
}
