/** Electron IPC channel names, shared by the main process and the preload script. */
export const ipcCallChannel = 'api:call';
export const ipcEventChannel = 'api:event';
/** Renderer → main: start the OS drag of a prepared set of files. */
export const dragStartChannel = 'exports:drag-start';
