/** CODA 2.x: model, parser, validator, writer. Pure TypeScript (runs in Node and in the renderer). */
export * from './model';
export { parseCoda, decodeCodaBytes, looksLikeCoda, communication as codaCommunication } from './parser';
export { validateCoda, type ValidateCodaOptions } from './validate';
export { writeCoda, type WriteCodaOptions } from './writer';
export { decodeWindows1252, encodeWindows1252 } from './cp1252';
export type { Finding, ParseResult, ParseFailure } from '../findings';
