export { VeniceClient, createVeniceClient } from './client';
export type { VeniceClientOptions, VeniceCredentials, CallOptions, ListOptions, RelationKey, VeniceDossierProperties } from './client';
export { listDossiers } from './dossiers-unverified';
export { VeniceError } from './errors';
export type { VeniceErrorDetails } from './errors';
export * from './types';
