/** English: the source of the message keys; French and Dutch must have the same shape. */
export const en = {
  app: {
    title: 'Billit Venice Link',
    version: 'Version {{version}}',
    demoMode: 'Demo office',
    demoHint: 'No account is configured: you are looking at a demo office with invented data.',
    liveMode: 'Live',
    language: 'Language',
    loading: 'Loading…',
    retry: 'Try again',
  },
  nav: { dossiers: 'Dossiers', exports: 'Exports', settings: 'Settings' },
  dossiers: {
    title: 'Dossiers',
    empty: 'No dossiers yet.',
  },
  exports: {
    title: 'Exports',
    empty: 'Nothing has been exported yet.',
  },
  settings: {
    title: 'Settings',
    dataDir: 'Data folder',
    logDir: 'Log files',
    keychain: 'Keychain',
    keychainOk: 'Available',
    keychainMissing: 'Unavailable: {{reason}}',
    accounts: 'Accounts',
    noAccounts: 'No account configured.',
  },
  errors: {
    'invalid-input': 'The request was not valid.',
    'unknown-call': 'The app does not know this request.',
    'not-found': 'Not found.',
    conflict: 'This conflicts with existing data.',
    auth: 'The credentials were refused. Check the API key or login and the environment.',
    network: 'The server could not be reached.',
    timeout: 'The server took too long to answer.',
    'rate-limited': 'The server asks to slow down; the app will retry.',
    remote: 'The server reported an error.',
    'keychain-unavailable': 'The keychain of this computer is unavailable.',
    database: 'The local database reported an error.',
    'file-system': 'A file or folder could not be written or read.',
    busy: 'Another run is already busy.',
    cancelled: 'Cancelled.',
    internal: 'An unexpected error occurred; see the log file.',
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;
