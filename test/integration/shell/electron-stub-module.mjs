// What `import { app, … } from 'electron'` gives while the stub is installed.
const e = globalThis.__electronStub;
export const { app, protocol, session, BrowserWindow, screen, ipcMain, ipcRenderer, contextBridge, Menu, Tray, nativeImage, Notification, shell, dialog, net } = e;
export default e;
