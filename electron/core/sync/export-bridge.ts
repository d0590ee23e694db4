/**
 * The cache as the export folders see it (`ExportSource`), and the sync's way of handing a page of new
 * documents to the export service (`Exporter`).
 *
 * Ids: an exported invoice is known by its cache document id, a statement by its cache statement id (the
 * kind `coda` tells them apart), the same ids `documents.list` and `statements.list` give the UI.
 */
import { exportKinds, kindOf, type ExportKind, type KindSelection, type StoredFile } from '../../../shared/export';
import type { Cache, Direction, DocumentRecord, DossierRecord, StatementRecord } from '../cache';
import type { ExportDocument, ExportDossier, ExportService, ExportSource } from '../export';
import type { Exporter } from './engine';

type Source = Pick<Cache, 'dossiers' | 'documents' | 'statements' | 'blobs'>;
type InvoiceSelection = Extract<KindSelection, { rows: 'invoices' }>;

/** How the cache reads each stored file a kind may deliver. */
const storedBytes: Record<StoredFile, (cache: Source, id: number) => Buffer | null> = {
  ubl: (cache, id) => cache.documents.ubl(id),
  pdf: (cache, id) => cache.documents.pdf(id),
  coda: (cache, id) => cache.statements.coda(id),
};

/** An invoice's stored file of each sort, by its hash (null: not stored). */
const invoiceFile: Record<InvoiceSelection['file'], (d: DocumentRecord) => string | null> = {
  ubl: (d) => d.ublSha256,
  pdf: (d) => d.pdfSha256,
};

/** The cache's word for each book. */
const bookDirection: Record<Exclude<InvoiceSelection['book'], 'both'>, Direction> = { sales: 'sales', purchases: 'purchase' };

function selectsInvoice(selection: InvoiceSelection, d: DocumentRecord): boolean {
  // Held back: Venice would refuse it, or the accountant keeps it out (documents.hold).
  if (d.status === 'deleted' || d.status === 'held') return false;
  if (selection.book !== 'both' && d.direction !== bookDirection[selection.book]) return false;
  return !!invoiceFile[selection.file](d);
}

function docOf(d: DocumentRecord, kind: ExportKind, veniceId: string): ExportDocument {
  return { id: String(d.id), dossierId: veniceId, kind, number: d.number, date: d.issueDate, label: d.number };
}

function statementOf(s: StatementRecord, kind: ExportKind, veniceId: string): ExportDocument {
  return {
    id: String(s.id),
    dossierId: veniceId,
    kind,
    number: s.statementNumber,
    statementNumber: s.statementNumber,
    date: s.closingDate,
    iban: s.accountIban,
    label: `${s.accountIban} ${s.statementNumber}`,
  };
}

function unknownSelection(selection: never): never {
  throw new Error(`No reading of the cache for ${JSON.stringify(selection)}`);
}

export function cacheExportSource(cache: Source): ExportSource {
  const ids = (list: readonly string[] | undefined) => list?.map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return {
    async dossier(dossierId): Promise<ExportDossier | null> {
      const d = cache.dossiers.byVeniceId(dossierId);
      return d ? { id: d.veniceId, name: d.name, enterpriseNumber: d.enterpriseNumber, veniceDossierId: d.veniceId, billitPartyId: d.billitPartyId } : null;
    },
    async documents(dossierId, kind, only) {
      const selection = kindOf(kind).selects;
      const d = cache.dossiers.byVeniceId(dossierId);
      if (!d) return [];
      const wanted = ids(only);
      switch (selection.rows) {
        case 'statements': {
          const rows = wanted
            ? cache.statements.getMany(wanted).filter((s) => s.dossierId === d.id)
            : allStatements(cache, d.id);
          // One CODA file may hold several statements: the file is delivered once, under its first statement.
          const seen = new Set<string>();
          return rows
            .filter((s) => s.codaSha256 && !seen.has(s.codaSha256) && seen.add(s.codaSha256))
            .map((s) => statementOf(s, kind, d.veniceId));
        }
        case 'invoices': {
          const rows = wanted
            ? cache.documents.getMany(wanted).filter((x) => x.dossierId === d.id)
            : allDocuments(cache, d.id);
          return rows.filter((r) => selectsInvoice(selection, r)).map((r) => docOf(r, kind, d.veniceId));
        }
        default:
          return unknownSelection(selection);
      }
    },
    async read(document) {
      const bytes = storedBytes[kindOf(document.kind).selects.file](cache, Number(document.id));
      if (!bytes) throw new Error(`document ${document.id} has no stored file`);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}

/** Every document of a dossier (but the deleted), whole, one query a page. */
function allDocuments(cache: Source, dossierId: number): DocumentRecord[] {
  const out: DocumentRecord[] = [];
  let after: string | null = null;
  do {
    const page = cache.documents.records({ dossierId, after, limit: 1000 });
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

function allStatements(cache: Source, dossierId: number): StatementRecord[] {
  const out: StatementRecord[] = [];
  let after: string | null = null;
  do {
    const page = cache.statements.page({ dossierId, after, limit: 1000 });
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

/**
 * Export what the sync just stored; a document counts as delivered when no kind of it failed. `toHold` names
 * the documents to keep out of the folders (Venice's import rules, the accountant's hold): they are marked
 * 'held' and reported neither exported nor failed.
 */
export function serviceExporter(
  service: ExportService,
  cache: Pick<Cache, 'statements' | 'checks'>,
  toHold: (dossier: DossierRecord, ids: number[]) => number[] = () => [],
): Exporter {
  async function deliver(dossier: DossierRecord, kinds: ExportKind[], ids: number[]) {
    const summary = await service.run({ dossierId: dossier.veniceId, kinds, documentIds: ids.map(String) });
    const failed = new Map<number, string>();
    for (const e of summary.entries) {
      if (e.status === 'failed' && e.documentId) failed.set(Number(e.documentId), e.reason ?? e.message ?? 'failed');
    }
    return {
      exported: ids.filter((id) => !failed.has(id)),
      failed: [...failed].filter(([id]) => ids.includes(id)).map(([id, reason]) => ({ id, reason })),
    };
  }
  return {
    async exportDocuments(dossier, ids) {
      const held = new Set(toHold(dossier, ids));
      if (held.size) await cache.checks.hold([...held]);
      const rest = ids.filter((id) => !held.has(id));
      if (!rest.length) return { exported: [], failed: [] };
      return deliver(dossier, enabledKinds(service, dossier.veniceId, 'invoices'), rest);
    },
    async exportStatements(dossier, ids) {
      // A statement shares its file with the others of the same CODA file: they travel together.
      const result = await deliver(dossier, enabledKinds(service, dossier.veniceId, 'statements'), ids);
      const shas = new Map<number, string | null>(cache.statements.getMany(ids).map((s) => [s.id, s.codaSha256]));
      const shaOf = (id: number): string | null => shas.get(id) ?? null;
      const failedShas = new Set(result.failed.map((f) => shaOf(f.id)));
      return {
        exported: ids.filter((id) => !failedShas.has(shaOf(id))),
        failed: ids.filter((id) => failedShas.has(shaOf(id))).map((id) => ({ id, reason: result.failed.find((f) => shaOf(f.id) === shaOf(id))?.reason ?? 'failed' })),
      };
    },
  };
}

/** The kinds the dossier's profile writes, of invoices or of statements. */
function enabledKinds(service: ExportService, veniceId: string, rows: KindSelection['rows']): ExportKind[] {
  const { kinds } = service.profile(veniceId).profile;
  return exportKinds.filter((k) => kindOf(k).selects.rows === rows && kinds[k].enabled);
}
