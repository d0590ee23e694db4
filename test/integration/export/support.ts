/**
 * Test documents for the export tests: real UBL and CODA fixture files (from ../shared/fixtures), each
 * document made distinct by its number, and optionally padded to a size so writes take a while.
 * `FixtureSource` implements the `ExportSource` port the cache will implement for real.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportDocument, ExportDossier, ExportSource } from '../../../electron/core/export/source';
import type { ExportKind } from '../../../shared/export';
import { fixturesDir } from '../../support/repo';

const ublTemplate = fs.readFileSync(path.join(fixturesDir, 'ubl/peppol-bis3/base-example.xml'), 'utf8');
const codaTemplate = fs.readFileSync(path.join(fixturesDir, 'coda/pycoda/Coda_v2_3_single_statement.txt'), 'latin1');

export interface DocSpec {
  id: string;
  kind: ExportKind;
  number?: string | null;
  date?: string | null;
  iban?: string | null;
  statementNumber?: string | null;
  /** Pad the file to about this many bytes. */
  size?: number;
  /** Change the bytes without changing the number (a document edited after export). */
  revision?: number;
}

/** The bytes of a document: the fixture with its own number (and padding), stable for the same spec. */
export function bytesOf(spec: DocSpec): Buffer {
  const tag = `${spec.id}#${spec.revision ?? 0}`;
  if (spec.kind === 'coda') {
    const body = codaTemplate.replace(/\r?\n$/, '') + '\n';
    const pad = spec.size ? Math.max(0, spec.size - body.length) : 0;
    const filler = pad ? `4 ${''.padEnd(126, 'x')}\n`.repeat(Math.ceil(pad / 129)) : '';
    return Buffer.from(body + `4 ${tag.padEnd(126, ' ').slice(0, 126)}\n` + filler, 'latin1');
  }
  let xml = ublTemplate.replace(/<cbc:ID>[^<]*<\/cbc:ID>/, `<cbc:ID>${escapeXml(spec.number ?? spec.id)}</cbc:ID>`);
  xml = xml.replace('</Invoice>', `<!-- ${tag} -->\n</Invoice>`);
  if (spec.size && xml.length < spec.size) {
    const seed = crypto.createHash('sha256').update(tag).digest('hex');
    xml = xml.replace('</Invoice>', `<!-- ${seed.repeat(Math.ceil((spec.size - xml.length) / 64)).slice(0, spec.size - xml.length)} -->\n</Invoice>`);
  }
  return Buffer.from(xml, 'utf8');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export type StoredDoc = DocSpec & { dossierId: string };

export class FixtureSource implements ExportSource {
  readonly dossiers = new Map<string, ExportDossier>();
  readonly docs: StoredDoc[] = [];
  readonly outcomes: { id: string; status: string; reason: string | null }[] = [];
  /** Documents whose bytes were read. */
  readonly reads: string[] = [];
  /** Hand out each document's SHA-256 with its metadata, as the cache does. */
  withHashes = false;

  constructor(dossiers: ExportDossier[] = [], docs: StoredDoc[] = []) {
    for (const d of dossiers) this.dossiers.set(d.id, d);
    for (const d of docs) this.add(d.dossierId, d);
  }

  add(dossierId: string, spec: DocSpec): void {
    this.docs.push({ ...spec, dossierId });
  }

  async dossier(id: string) {
    return this.dossiers.get(id) ?? null;
  }

  async documents(dossierId: string, kind: ExportKind, ids?: readonly string[]): Promise<ExportDocument[]> {
    return this.docs
      .filter((d) => d.dossierId === dossierId && d.kind === kind && (!ids || ids.includes(d.id)))
      .map((d) => ({
        id: d.id,
        dossierId,
        kind: d.kind,
        number: d.number ?? null,
        date: d.date ?? null,
        iban: d.iban ?? null,
        statementNumber: d.statementNumber ?? null,
        label: d.number ?? d.statementNumber ?? null,
        sha256: this.withHashes ? sha256Of(bytesOf(d)) : null,
      }));
  }

  async read(document: ExportDocument): Promise<Uint8Array> {
    const spec = this.docs.find(
      (d) => d.dossierId === document.dossierId && d.kind === document.kind && d.id === document.id,
    );
    if (!spec) throw new Error(`no document ${document.id}`);
    this.reads.push(document.id);
    return bytesOf(spec);
  }

  recordOutcome(document: ExportDocument, outcome: { status: string; reason: string | null }) {
    this.outcomes.push({ id: document.id, ...outcome });
  }

  spec(id: string): DocSpec {
    const spec = this.docs.find((d) => d.id === id);
    if (!spec) throw new Error(`no spec ${id}`);
    return spec;
  }
}

export const janssens: ExportDossier = {
  id: 'JANSSENS',
  name: 'Bakkerij Janssens BV',
  enterpriseNumber: 'BE 0427.604.308',
  veniceDossierId: 'JANSSENS',
  billitPartyId: 123456,
};

/** A burst of `count` sales invoices for one dossier (the same list in every process that asks). */
export function burst(count: number, size: number): StoredDoc[] {
  return Array.from({ length: count }, (_, i) => ({
    dossierId: janssens.id,
    id: `inv-${i + 1}`,
    kind: 'sales' as const,
    number: `F2024/${String(i + 1).padStart(4, '0')}`,
    date: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    size,
  }));
}

/** Every file under `dir` (relative, with `/`), hidden ones included or not. */
export function listFiles(dir: string, includeHidden = false): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (!includeHidden && entry.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(d, entry.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function sha256Of(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Lines of the manifest beside the exports, parsed. */
export function manifestLines(root: string): { path: string; sha256: string; doc: string; host: string }[] {
  const file = path.join(root, '.billit-venice-manifest.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { path: string; sha256: string; doc: string; host: string });
}
