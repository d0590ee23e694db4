import type { Api, ApiErrorData } from '../../shared/api';
import { isApiErrorData } from '../../shared/api/errors';
import { createSocketApi } from './socket';

declare global {
  interface Window {
    api?: Api;
  }
}

/** The Electron preload provides window.api; in browser mode the socket does. */
export const api: Api = window.api ?? createSocketApi(window.location);

export function errorData(error: unknown): ApiErrorData {
  if (isApiErrorData(error)) return { code: error.code, message: error.message, details: error.details };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
