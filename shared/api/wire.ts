/** Electron IPC channel names, shared by the main process and the preload script. */
export const ipcCallChannel = 'api:call';
export const ipcEventChannel = 'api:event';
/** Renderer → main: start the OS drag of a prepared set of files. */
export const dragStartChannel = 'exports:drag-start';
/**
 * Browser mode: the API socket's WebSocket subprotocol, and the session token offered as a second one.
 * A URL is printed by the browser's console whenever the host cannot be reached; a handshake header is not.
 */
export const socketProtocol = 'bvl.api';
export const socketTokenPrefix = 'bvl.token.';
