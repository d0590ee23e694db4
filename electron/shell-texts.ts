/**
 * What the desktop shell itself says (menus, tray, notifications), in the app's three languages. The
 * renderer has its own texts; these are the ones Electron shows outside the window. Menu roles get
 * explicit labels too: on Windows and Linux Electron's defaults are English.
 */
import { formatDateTime, formatNumber, pickLanguage, type UiLanguage } from '../shared/format';

const en = {
  appMenu: { about: 'About {app}', hide: 'Hide {app}', hideOthers: 'Hide others', showAll: 'Show all', quit: 'Quit {app}' },
  file: { title: 'File', syncNow: 'Sync now', openLogs: 'Open logs folder', startAtLogin: 'Start at login', close: 'Close window', quit: 'Quit' },
  edit: { title: 'Edit', undo: 'Undo', redo: 'Redo', cut: 'Cut', copy: 'Copy', paste: 'Paste', selectAll: 'Select all' },
  view: { title: 'View', reload: 'Reload', zoomIn: 'Zoom in', zoomOut: 'Zoom out', resetZoom: 'Actual size', fullScreen: 'Full screen' },
  window: { title: 'Window', minimize: 'Minimise', zoom: 'Zoom', front: 'Bring all to front' },
  help: { title: 'Help', billitSite: 'Billit website', veniceSite: 'Venice website', openLogs: 'Open logs folder' },
  tray: {
    open: 'Open {app}',
    syncNow: 'Sync now',
    syncing: 'Syncing… {done} of {total}',
    neverSynced: 'Not synced yet',
    lastRun: 'Last sync {at}: {result}',
    quit: 'Quit',
  },
  result: {
    done: '{documents} documents, {statements} statements',
    problems: '{documents} documents, {statements} statements, {errors} problems',
    failed: 'failed',
    cancelled: 'cancelled',
    interrupted: 'interrupted',
  },
  notify: {
    syncProblemsTitle: 'Sync finished with problems',
    syncProblemsBody: '{errors} problems during the sync of {at}. Open the app to see which documents.',
    syncFailedTitle: 'Sync failed',
    syncFailedBody: 'The sync of {at} stopped: {message}',
    linkAcceptedTitle: 'Link accepted',
    linkAcceptedBody: '{name} accepted the link with your office in Billit.',
    linkRefusedTitle: 'Link refused',
    linkRefusedBody: '{name} refused the link with your office in Billit.',
    linksTitle: 'Billit links changed',
    linksBody: '{accepted} accepted, {refused} refused. Open the app to see the dossiers.',
    hiddenTitle: '{app} is still running',
    hiddenBody: 'It keeps syncing on schedule from the tray. Quit it from the tray menu.',
    updateTitle: 'Update ready',
    updateBody: 'Version {version} will be installed when you quit the app.',
  },
};

export type ShellTexts = typeof en;

const fr: ShellTexts = {
  appMenu: { about: 'À propos de {app}', hide: 'Masquer {app}', hideOthers: 'Masquer les autres', showAll: 'Tout afficher', quit: 'Quitter {app}' },
  file: {
    title: 'Fichier',
    syncNow: 'Synchroniser maintenant',
    openLogs: 'Ouvrir le dossier des journaux',
    startAtLogin: 'Lancer à l’ouverture de session',
    close: 'Fermer la fenêtre',
    quit: 'Quitter',
  },
  edit: { title: 'Édition', undo: 'Annuler', redo: 'Rétablir', cut: 'Couper', copy: 'Copier', paste: 'Coller', selectAll: 'Tout sélectionner' },
  view: { title: 'Affichage', reload: 'Actualiser', zoomIn: 'Agrandir', zoomOut: 'Réduire', resetZoom: 'Taille réelle', fullScreen: 'Plein écran' },
  window: { title: 'Fenêtre', minimize: 'Réduire dans la barre des tâches', zoom: 'Zoom', front: 'Tout ramener au premier plan' },
  help: { title: 'Aide', billitSite: 'Site web de Billit', veniceSite: 'Site web de Venice', openLogs: 'Ouvrir le dossier des journaux' },
  tray: {
    open: 'Ouvrir {app}',
    syncNow: 'Synchroniser maintenant',
    syncing: 'Synchronisation… {done} sur {total}',
    neverSynced: 'Pas encore synchronisé',
    lastRun: 'Dernière synchronisation {at} : {result}',
    quit: 'Quitter',
  },
  result: {
    done: '{documents} documents, {statements} extraits',
    problems: '{documents} documents, {statements} extraits, {errors} problèmes',
    failed: 'échec',
    cancelled: 'annulée',
    interrupted: 'interrompue',
  },
  notify: {
    syncProblemsTitle: 'Synchronisation terminée avec des problèmes',
    syncProblemsBody: '{errors} problèmes lors de la synchronisation du {at}. Ouvrez l’application pour voir les documents concernés.',
    syncFailedTitle: 'Échec de la synchronisation',
    syncFailedBody: 'La synchronisation du {at} s’est arrêtée : {message}',
    linkAcceptedTitle: 'Liaison acceptée',
    linkAcceptedBody: '{name} a accepté la liaison avec votre bureau dans Billit.',
    linkRefusedTitle: 'Liaison refusée',
    linkRefusedBody: '{name} a refusé la liaison avec votre bureau dans Billit.',
    linksTitle: 'Liaisons Billit modifiées',
    linksBody: '{accepted} acceptées, {refused} refusées. Ouvrez l’application pour voir les dossiers.',
    hiddenTitle: '{app} reste ouvert',
    hiddenBody: 'La synchronisation planifiée continue depuis la zone de notification. Quittez-le depuis le menu de son icône.',
    updateTitle: 'Mise à jour prête',
    updateBody: 'La version {version} sera installée quand vous quitterez l’application.',
  },
};

const nl: ShellTexts = {
  appMenu: { about: 'Over {app}', hide: '{app} verbergen', hideOthers: 'Andere verbergen', showAll: 'Alles tonen', quit: '{app} afsluiten' },
  file: {
    title: 'Bestand',
    syncNow: 'Nu synchroniseren',
    openLogs: 'Logboekmap openen',
    startAtLogin: 'Starten bij aanmelden',
    close: 'Venster sluiten',
    quit: 'Afsluiten',
  },
  edit: { title: 'Bewerken', undo: 'Ongedaan maken', redo: 'Opnieuw', cut: 'Knippen', copy: 'Kopiëren', paste: 'Plakken', selectAll: 'Alles selecteren' },
  view: { title: 'Beeld', reload: 'Vernieuwen', zoomIn: 'Inzoomen', zoomOut: 'Uitzoomen', resetZoom: 'Werkelijke grootte', fullScreen: 'Volledig scherm' },
  window: { title: 'Venster', minimize: 'Minimaliseren', zoom: 'Zoomen', front: 'Alles naar voren halen' },
  help: { title: 'Help', billitSite: 'Website van Billit', veniceSite: 'Website van Venice', openLogs: 'Logboekmap openen' },
  tray: {
    open: '{app} openen',
    syncNow: 'Nu synchroniseren',
    syncing: 'Synchroniseren… {done} van {total}',
    neverSynced: 'Nog niet gesynchroniseerd',
    lastRun: 'Laatste synchronisatie {at}: {result}',
    quit: 'Afsluiten',
  },
  result: {
    done: '{documents} documenten, {statements} uittreksels',
    problems: '{documents} documenten, {statements} uittreksels, {errors} problemen',
    failed: 'mislukt',
    cancelled: 'geannuleerd',
    interrupted: 'onderbroken',
  },
  notify: {
    syncProblemsTitle: 'Synchronisatie beëindigd met problemen',
    syncProblemsBody: '{errors} problemen bij de synchronisatie van {at}. Open de app om te zien welke documenten.',
    syncFailedTitle: 'Synchronisatie mislukt',
    syncFailedBody: 'De synchronisatie van {at} is gestopt: {message}',
    linkAcceptedTitle: 'Koppeling aanvaard',
    linkAcceptedBody: '{name} heeft de koppeling met uw kantoor in Billit aanvaard.',
    linkRefusedTitle: 'Koppeling geweigerd',
    linkRefusedBody: '{name} heeft de koppeling met uw kantoor in Billit geweigerd.',
    linksTitle: 'Billit-koppelingen gewijzigd',
    linksBody: '{accepted} aanvaard, {refused} geweigerd. Open de app om de dossiers te zien.',
    hiddenTitle: '{app} blijft actief',
    hiddenBody: 'De geplande synchronisatie loopt verder vanuit het systeemvak. Sluit af via het menu van het pictogram.',
    updateTitle: 'Update klaar',
    updateBody: 'Versie {version} wordt geïnstalleerd wanneer u de app afsluit.',
  },
};

export const shellTexts: Record<UiLanguage, ShellTexts> = { en, fr, nl };

/** The shell's language: the one chosen in the app, else the OS's preferred languages, else English. */
export function shellLanguage(chosen: string | null | undefined, osPreferred: readonly string[]): UiLanguage {
  return chosen === 'fr' || chosen === 'nl' || chosen === 'en' ? chosen : pickLanguage(osPreferred);
}

/** `{name}` placeholders filled in; numbers in the language's own format. */
export function fill(language: UiLanguage, text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(language, value) : value;
  });
}

export function dateTime(language: UiLanguage, iso: string): string {
  return formatDateTime(language, iso);
}
