/**
 * Every screen of the desk, one entry each: the sidebar section it belongs to and how it is drawn from its
 * view. A new screen is a new `View` (its parameters, in `store.ts`) and an entry here; the compiler asks
 * for the entry, and the sidebar, Ctrl+1..5 and "back" follow from it.
 */
import type { ReactNode } from 'react';
import { DocumentPage } from './pages/Document';
import { DossierView } from './pages/Dossier';
import { DossiersPage } from './pages/Dossiers';
import { ExportsPage } from './pages/Exports';
import { ReviewPage } from './pages/Review';
import { SettingsPage } from './pages/Settings';
import { StatementPage } from './pages/Statement';
import { SyncPage } from './pages/Sync';
import type { Section, View } from './store';

type Place = View['place'];

interface Screen<P extends Place> {
  /** The section highlighted in the sidebar while the screen is shown. */
  section: Section;
  render(view: Extract<View, { place: P }>): ReactNode;
}

const screens: { [P in Place]: Screen<P> } = {
  dossiers: { section: 'dossiers', render: () => <DossiersPage /> },
  // Keyed by id: another dossier, invoice or statement starts from a fresh screen, not the last one's state.
  dossier: { section: 'dossiers', render: (v) => <DossierView key={v.id} id={v.id} tab={v.tab} /> },
  document: { section: 'dossiers', render: (v) => <DocumentPage key={v.id} id={v.id} /> },
  statement: { section: 'dossiers', render: (v) => <StatementPage key={v.id} id={v.id} /> },
  review: { section: 'review', render: () => <ReviewPage /> },
  sync: { section: 'sync', render: () => <SyncPage /> },
  exports: { section: 'exports', render: () => <ExportsPage /> },
  settings: { section: 'settings', render: () => <SettingsPage /> },
};

export function sectionOf(view: View): Section {
  return screens[view.place].section;
}

export function ScreenOf({ view }: { view: View }): ReactNode {
  // The record ties each place to its own view's shape; TypeScript cannot follow that through the index.
  const screen = screens[view.place] as Screen<Place>;
  return screen.render(view as never);
}
