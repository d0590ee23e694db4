/**
 * The official checks of a batch of UBL documents, as a check worker runs them (`worker.ts`): the UBL 2.1
 * schema (libxml2's xmllint compiled to WebAssembly) and the rule sets of one release (compiled Schematron,
 * run by SaxonJS), each loaded once per worker.
 *
 * Where the time goes, and what this does about it (profiled with `node --cpu-prof`, see the peppol bench):
 * - SaxonJS prepares the whole stylesheet again on every transform (it walks the SEF tree, ~6 MB of JSON for
 *   the CEN rules, and rebuilds its component table and modes): ~15 ms for CEN and ~10 ms for Peppol per
 *   call, whatever the document. Rule sets that read nothing of the document outside their templates
 *   (`contextFree` in release.json: the CEN rules) therefore get all documents of a batch in ONE transform
 *   (initial match selection = the documents; one SVRL report per document comes back, in order).
 * - Each document is parsed once and the same tree goes to every rule set (SaxonJS would parse it per call).
 * - SVRL is kept as the raw tree ('raw' destination): no serialisation and no re-parse of the report.
 * - xmllint compiles the UBL schemas on each run (~250 ms): a batch is validated in one run per root
 *   (Invoice, CreditNote); the WebAssembly module is compiled once per worker.
 * Results are those of one transform per document: the conformance tests compare every fired rule against
 * the golden results through this path.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type SaxonJsModule from 'saxon-js';
import type xmllintModule from 'xmllint-wasm/xmllint-node.js';
import { decodeXmlBytes } from '../../../shared/ubl/parser';
import { lineOf, readableLocation } from './location';
import { applies, type RuleSet } from './rules';

export type RuleSource = 'cen' | 'peppol' | 'schema' | (string & {});

export interface RuleFinding {
  severity: 'error' | 'warning';
  /** The rule id (`BR-CO-15`, `PEPPOL-EN16931-R001`), `XSD` for the schema. */
  code: string;
  /** The rule's own English text. */
  message: string;
  /** Readable XPath of the element the rule is about. */
  location?: string;
  line?: number;
  source: RuleSource;
}

export interface CheckDocument {
  /** The caller's key (a SHA-256, a file name). */
  key: string;
  bytes: Uint8Array;
}

export interface CheckResult {
  key: string;
  findings: RuleFinding[];
  /** Ids of the rule sets that applied to the document (plus 'schema' when it was validated). */
  applied: string[];
}

export interface EngineOptions {
  ruleSets: RuleSet[];
  schemaDir: string;
  /** The two engines, loaded by the caller (SaxonJS cannot be bundled: it is loaded from its package as shipped). */
  saxon: typeof SaxonJsModule;
  xmllint: typeof xmllintModule;
  /** xmllint.wasm. */
  wasmPath: string;
}

let SaxonJS: typeof SaxonJsModule;
let xmllint: typeof xmllintModule;

export interface CheckOptions {
  /** Apply every rule set whatever the CustomizationID (the conformance suites' fragments claim none or any). */
  allRuleSets?: boolean;
}

const SVRL = 'http://purl.oclc.org/dsdl/svrl';
const UBL_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const UBL_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
const SBDH = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';
const READ_ASSERTS =
  ".//(svrl:failed-assert | svrl:successful-report) ! string-join((string(@id), string(@flag), string(@location), normalize-space(svrl:text)), '\u0001')";

type Node = object;

interface Prepared {
  key: string;
  text: string;
  node: Node | null;
  root: 'Invoice' | 'CreditNote' | null;
  ublVersion: string;
  customizationId: string;
  findings: RuleFinding[];
  applied: string[];
}

export class CheckEngine {
  private readonly ruleSets: Array<RuleSet & { sef: object }>;
  private readonly schemas: { invoice: string; creditNote: string; common: Array<{ fileName: string; contents: string }> };
  private readonly wasm: WebAssembly.Module;

  constructor(options: EngineOptions) {
    SaxonJS = options.saxon;
    xmllint = options.xmllint;
    this.ruleSets = options.ruleSets.map((r) => {
      let bytes = fs.readFileSync(r.path);
      if (r.path.endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
      return { ...r, sef: JSON.parse(bytes.toString('utf8')) as object };
    });
    const xsd = (p: string) => fs.readFileSync(path.join(options.schemaDir, 'xsd', p), 'utf8');
    this.schemas = {
      invoice: xsd('maindoc/UBL-Invoice-2.1.xsd'),
      creditNote: xsd('maindoc/UBL-CreditNote-2.1.xsd'),
      common: fs
        .readdirSync(path.join(options.schemaDir, 'xsd', 'common'))
        .filter((f) => f.endsWith('.xsd'))
        .sort()
        .map((f) => ({ fileName: `xsd/common/${f}`, contents: xsd(`common/${f}`) })),
    };
    this.wasm = new WebAssembly.Module(fs.readFileSync(options.wasmPath));
  }

  async check(documents: readonly CheckDocument[], options: CheckOptions = {}): Promise<CheckResult[]> {
    const prepared = documents.map((d) => prepare(d));
    await this.validateSchema(prepared.filter((p) => p.node && p.root && !p.ublVersion.startsWith('2.0')));
    for (const ruleSet of this.ruleSets) {
      const targets = prepared.filter((p) => p.node && (options.allRuleSets || (p.root && applies(ruleSet, p.customizationId))));
      if (!targets.length) continue;
      for (const p of targets) p.applied.push(ruleSet.id);
      if (ruleSet.contextFree && targets.length > 1) this.runTogether(ruleSet, targets);
      else for (const p of targets) this.runOne(ruleSet, p);
    }
    return prepared.map((p) => {
      if (p.node && p.root && !p.applied.some((a) => a !== 'schema')) {
        p.findings.push({
          severity: 'warning',
          code: 'RULES-NOT-APPLICABLE',
          message: `The EN 16931 and Peppol BIS 3.0 rules are for documents that claim EN 16931; this one claims "${p.customizationId}"${p.ublVersion ? ` (UBL ${p.ublVersion})` : ''}. Checked against the UBL schema only.`,
          source: 'schema',
        });
      }
      return { key: p.key, findings: p.findings, applied: p.applied };
    });
  }

  /** One transform for several documents; any failure falls back to one transform per document. */
  private runTogether(ruleSet: RuleSet & { sef: object }, targets: Prepared[]): void {
    let reports: Node[];
    try {
      const result = SaxonJS.transform({ stylesheetInternal: ruleSet.sef, initialSelection: targets.map((p) => p.node!), destination: 'raw' }, 'sync').principalResult;
      reports = Array.isArray(result) ? result : result ? [result] : [];
    } catch {
      reports = [];
    }
    if (reports.length !== targets.length) {
      for (const p of targets) this.runOne(ruleSet, p);
      return;
    }
    targets.forEach((p, i) => this.collect(ruleSet, p, reports[i]!));
  }

  private runOne(ruleSet: RuleSet & { sef: object }, p: Prepared): void {
    try {
      const report = SaxonJS.transform({ stylesheetInternal: ruleSet.sef, sourceNode: p.node!, destination: 'raw' }, 'sync').principalResult;
      this.collect(ruleSet, p, Array.isArray(report) ? report[0]! : report!);
    } catch (error) {
      p.findings.push({
        severity: 'error',
        code: 'RULES-FAILED',
        message: `The ${ruleSet.name} could not be evaluated on this document: ${(error as Error)?.message ?? String(error)}`,
        source: ruleSet.id,
      });
    }
  }

  private collect(ruleSet: RuleSet, p: Prepared, report: Node): void {
    const asserts = SaxonJS.XPath.evaluate(READ_ASSERTS, report, { namespaceContext: { svrl: SVRL }, resultForm: 'array' }) as string[];
    for (const a of asserts) {
      const [id, flag, location, text] = a.split('\u0001') as [string, string, string, string];
      const finding: RuleFinding = {
        severity: flag === 'fatal' || flag === 'error' ? 'error' : 'warning',
        code: id,
        // The CEN rules repeat their id in front of their text: "[BR-CO-15]-The VAT total amount …".
        message: text.replace(/^\[[\w.-]+\]\s*-\s*/, ''),
        source: ruleSet.id,
      };
      if (location) {
        finding.location = readableLocation(location);
        const line = lineOf(p.text, location);
        if (line !== undefined) finding.line = line;
      }
      p.findings.push(finding);
    }
  }

  /** UBL 2.1 schema, one xmllint run per root element for the whole batch. */
  private async validateSchema(docs: Prepared[]): Promise<void> {
    for (const root of ['Invoice', 'CreditNote'] as const) {
      const group = docs.filter((d) => d.root === root);
      if (!group.length) continue;
      for (const d of group) d.applied.push('schema');
      const names = group.map((_, i) => `doc${i}.xml`);
      const main = { fileName: `xsd/maindoc/UBL-${root}-2.1.xsd`, contents: root === 'Invoice' ? this.schemas.invoice : this.schemas.creditNote };
      const { exitCode, stderr } = await this.xmllint(
        [...group.map((d, i) => ({ fileName: names[i]!, contents: d.text })), main, ...this.schemas.common],
        ['--schema', main.fileName, '--noout', ...names],
      );
      if (exitCode !== 0 && exitCode !== 3 && exitCode !== 4) {
        for (const d of group) d.findings.push({ severity: 'error', code: 'XSD', message: `The schema check could not run: ${stderr.slice(0, 300)}`, source: 'schema' });
        continue;
      }
      for (const line of stderr.split('\n')) {
        const m = /^doc(\d+)\.xml:(\d+): (.*)$/.exec(line);
        if (!m) continue;
        const d = group[Number(m[1])];
        if (!d) continue;
        d.findings.push({ severity: 'error', code: 'XSD', message: schemaMessage(m[3]!), line: Number(m[2]), source: 'schema' });
      }
    }
  }

  private xmllint(inputFiles: Array<{ fileName: string; contents: string }>, args: string[]): Promise<{ exitCode: number; stderr: string }> {
    const bytes = inputFiles.reduce((n, f) => n + f.contents.length, 0);
    const pages = Math.min(65536, 512 + Math.ceil((bytes * 4) / 65536));
    return new Promise((resolve) => {
      let stderr = '';
      let done = false;
      const finish = (exitCode: number) => {
        if (done) return;
        done = true;
        // Emscripten sets the thread's exit code when the program exits; this thread goes on.
        process.exitCode = 0;
        resolve({ exitCode, stderr });
      };
      xmllint({
        inputFiles,
        arguments: args,
        print: () => {},
        printErr: (text) => {
          stderr += text + '\n';
        },
        onExit: finish,
        onAbort: (reason) => {
          stderr += `WASM abort: ${String(reason)}\n`;
          finish(-1);
        },
        wasmMemory: new WebAssembly.Memory({ initial: 256, maximum: pages }),
        instantiateWasm: (imports, ready) => {
          void WebAssembly.instantiate(this.wasm, imports).then((instance) => ready(instance, this.wasm));
          return {};
        },
      }).catch((error: unknown) => {
        // The program's exit is thrown through the module's promise; a real failure has no exit code.
        const status = (error as { status?: number })?.status;
        if (typeof status === 'number') finish(status);
        else {
          stderr += String((error as Error)?.message ?? error);
          finish(-1);
        }
      });
    });
  }
}

/** "Element '{urn:…CommonBasicComponents-2}IssueDate': …" with the usual prefixes. */
function schemaMessage(raw: string): string {
  return raw
    .replace(/^Schemas validity error : /, '')
    .replace(/^parser error : /, 'Not well-formed: ')
    .replace(/\{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\}/g, 'cbc:')
    .replace(/\{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\}/g, 'cac:')
    .replace(/\{urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\}/g, 'ext:')
    .replace(/\{urn:oasis:names:specification:ubl:schema:xsd:(Invoice|CreditNote)-2\}/g, '');
}

const DTD = /<!(DOCTYPE|ENTITY)/i;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function validUtf8(bytes: Uint8Array): boolean {
  try {
    fatalUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function prepare(d: CheckDocument): Prepared {
  const p: Prepared = { key: d.key, text: '', node: null, root: null, ublVersion: '', customizationId: '', findings: [], applied: [] };
  let text = decodeXmlBytes(d.bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.indexOf('\uFFFD') >= 0 && !validUtf8(d.bytes) && !/^<\?xml[^>]*encoding\s*=\s*["'](?!utf-?8)/i.test(text)) {
    // What an XML parser does with bytes that are not the UTF-8 they claim to be: refuse the file.
    p.findings.push({ severity: 'error', code: 'XML', message: 'The file is not valid UTF-8: an XML parser refuses it.', source: 'schema' });
    return p;
  }
  if (DTD.test(text)) {
    // Never handed to an XML parser that would expand entities: the reading of the file reports it.
    p.findings.push({ severity: 'error', code: 'XML', message: 'The file declares a DTD or entities; it is not checked.', source: 'schema' });
    return p;
  }
  let node: Node;
  try {
    node = SaxonJS.XPath.evaluate('parse-xml($t)', null, { params: { t: text } }) as Node;
  } catch (error) {
    p.findings.push({ severity: 'error', code: 'XML', message: `Not well-formed XML: ${(error as Error)?.message ?? String(error)}`, source: 'schema' });
    return p;
  }
  const ns = SaxonJS.XPath.evaluate('namespace-uri(/*)', node) as string;
  if (ns === SBDH) {
    // The rules describe the invoice itself: it is checked as a document of its own, as an access point would.
    const inner = SaxonJS.XPath.evaluate("serialize(/*/*[local-name() = ('Invoice', 'CreditNote')][1])", node) as string;
    if (inner) return prepare({ key: d.key, bytes: new TextEncoder().encode(inner) });
  }
  p.text = text;
  p.node = node;
  const local = SaxonJS.XPath.evaluate('local-name(/*)', node) as string;
  if (ns === UBL_INVOICE && local === 'Invoice') p.root = 'Invoice';
  else if (ns === UBL_CREDIT_NOTE && local === 'CreditNote') p.root = 'CreditNote';
  else {
    p.findings.push({ severity: 'error', code: 'XSD', message: `The root element is {${ns}}${local}, not a UBL Invoice or CreditNote.`, source: 'schema' });
  }
  p.ublVersion = (SaxonJS.XPath.evaluate("normalize-space(/*/*[local-name() = 'UBLVersionID'][1])", node) as string) ?? '';
  p.customizationId = (SaxonJS.XPath.evaluate("normalize-space(/*/*[local-name() = 'CustomizationID'][1])", node) as string) ?? '';
  return p;
}
