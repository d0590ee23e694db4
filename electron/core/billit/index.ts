/** Billit: the API client (public swagger), its credentials, and the unverified portal steps (separate module). */
export * from './client';
export * from './auth';
export * from './errors';
export * from './types';
export * as odata from './odata';
export { createTransport, IDEMPOTENCY_HEADERS, type TimingOptions, type Transport } from './http';
export * from './portal-unverified';
