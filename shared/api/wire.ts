/** Electron IPC channel names, shared by the main process and the preload script. */
export const ipcCallChannel = 'api:call';
export const ipcEventChannel = 'api:event';
