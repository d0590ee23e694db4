/** The Billit simulator: its world (state + mutation functions for the seed) and its HTTP server. */
export * from './state';
export { createBillitSimulator, SWAGGER } from './simulator';
export type { BillitSimulator, BillitSimulatorOptions } from './simulator';
export { PORTAL_PREFIX } from './portal-modelled';
