/** UBL (Peppol BIS 3.0, UBL.BE, e-FFF): model, parser, validator, writer. Pure TypeScript. */
export * from './model';
export { parseUbl, decodeXmlBytes, looksLikeXml, type ParseUblOptions } from './parser';
export { validateUbl, isKnownCustomization, type ValidateUblOptions } from './validate';
export { writeUbl, escapeXml } from './writer';
export { encodeBase64, decodeBase64 } from './base64';
export * as decimal from './decimal';
export type { Finding, ParseResult, ParseFailure } from '../findings';
