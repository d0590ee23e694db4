/**
 * What the format parsers (CODA, UBL) return and report. Parsing never throws on bad input:
 * it gives a value or a typed failure; validation gives findings.
 */
export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** Stable machine code, e.g. `trailer-count`, `totals-payable`, `not-addressed-to-dossier`. */
  code: string;
  /** English, for support staff and logs. */
  message: string;
  /** 1-based line of the file the finding is about, when known. */
  line?: number;
  /**
   * A fast pre-check error stands in for the official checks until they have run: the rule ids that report
   * the same problem (`BR-CO-15`, `PEPPOL-EN16931-R120`, `XSD` for the UBL schema, `XML` for a file no XML
   * parser accepts). The app's tests hold every pre-check error to one of them firing.
   */
  rules?: readonly string[];
}

export interface ParseFailure {
  /** e.g. `empty`, `not-coda`, `unsupported-version`, `not-xml`, `doctype-refused`, `too-large`, `not-ubl`. */
  code: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseFailure };

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
