import { fromJson, toJson, type Ctx, type Row } from './context';

export type CheckState = 'done' | 'failed';
export type CheckLevel = 'ok' | 'warnings' | 'errors';

/** One finding of the official checks, as stored (the API's `FindingView` shape). */
export interface StoredRuleFinding {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  location?: string;
  line?: number;
  source: string;
}

export interface CheckResultRecord {
  sha256: string;
  release: string;
  state: CheckState;
  level: CheckLevel;
  findings: StoredRuleFinding[];
  checkedAt: string;
}

export interface CheckResultInput {
  sha256: string;
  state: CheckState;
  findings: StoredRuleFinding[];
}

export type Decision = 'hold' | 'export';

/** Another document of the same dossier and kind with the same number (Venice's duplicate rule). */
export interface SameNumberDocument {
  id: number;
  status: string;
  sellerEnterprise: string | null;
  sellerVat: string | null;
  sellerName: string | null;
}

function toResult(row: Row): CheckResultRecord {
  return {
    sha256: row.sha256,
    release: row.release,
    state: row.state,
    level: row.level,
    findings: fromJson(row.findings, []),
    checkedAt: row.checked_at,
  };
}

export function levelOf(findings: readonly { severity: string }[]): CheckLevel {
  if (findings.some((f) => f.severity === 'error')) return 'errors';
  if (findings.some((f) => f.severity === 'warning')) return 'warnings';
  return 'ok';
}

/** The official check results (by UBL file and rules release) and the accountant's hold-back decisions. */
export function checksRepo(ctx: Ctx) {
  return {
    get(sha256: string, release: string): CheckResultRecord | null {
      const row = ctx.r('SELECT * FROM check_results WHERE sha256 = ? AND release = ?').get(sha256, release) as Row | undefined;
      return row ? toResult(row) : null;
    },

    getMany(sha256s: readonly string[], release: string): Map<string, CheckResultRecord> {
      const out = new Map<string, CheckResultRecord>();
      if (!sha256s.length) return out;
      const rows = ctx
        .r('SELECT * FROM check_results WHERE release = ? AND sha256 IN (SELECT value FROM json_each(?))')
        .all(release, JSON.stringify([...new Set(sha256s)])) as Row[];
      for (const row of rows) out.set(row.sha256, toResult(row));
      return out;
    },

    /**
     * Documents whose UBL has no result for this release, newest first, after the keyset cursor
     * `[issueDate, id]` (null: from the newest).
     */
    unchecked(release: string, after: readonly [string, number] | null, limit: number): Array<{ id: number; sha256: string; issueDate: string }> {
      const rows = ctx
        .r(
          `SELECT d.id, d.ubl_sha256, d.issue_date FROM documents d INDEXED BY documents_newest
           WHERE d.ubl_sha256 IS NOT NULL AND d.status <> 'deleted' AND (d.issue_date, d.id) < (?, ?)
             AND NOT EXISTS (SELECT 1 FROM check_results c WHERE c.sha256 = d.ubl_sha256 AND c.release = ?)
           ORDER BY d.issue_date DESC, d.id DESC LIMIT ?`,
        )
        .all(after?.[0] ?? '9999-12-31', after?.[1] ?? Number.MAX_SAFE_INTEGER, release, limit) as Row[];
      return rows.map((r) => ({ id: r.id, sha256: r.ubl_sha256, issueDate: r.issue_date }));
    },

    /** How many documents still wait for this release's checks. */
    countUnchecked(release: string): number {
      return ctx
        .r(
          `SELECT count(*) FROM documents d WHERE d.ubl_sha256 IS NOT NULL AND d.status <> 'deleted'
           AND NOT EXISTS (SELECT 1 FROM check_results c WHERE c.sha256 = d.ubl_sha256 AND c.release = ?)`,
        )
        .pluck()
        .get(release) as number;
    },

    /** The documents that refer to these UBL files. */
    documentsOf(sha256s: readonly string[]): Array<{ id: number; sha256: string }> {
      if (!sha256s.length) return [];
      const rows = ctx
        .r(`SELECT id, ubl_sha256 FROM documents WHERE ubl_sha256 IN (SELECT value FROM json_each(?)) AND status <> 'deleted'`)
        .all(JSON.stringify([...new Set(sha256s)])) as Row[];
      return rows.map((r) => ({ id: r.id, sha256: r.ubl_sha256 }));
    },

    /**
     * Stores results of one release and brings the validation level of the documents that refer to each file
     * up to date: the pre-check's findings (stored with the document) together with the official ones.
     */
    put(release: string, results: readonly CheckResultInput[]): Promise<void> {
      return ctx.write(async (tx) => {
        const now = ctx.now();
        const insert = ctx.w(
          `INSERT INTO check_results (sha256, release, state, level, findings, checked_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (sha256, release) DO UPDATE SET state = excluded.state, level = excluded.level, findings = excluded.findings, checked_at = excluded.checked_at`,
        );
        const level = ctx.w(
          `UPDATE documents SET validation = CASE
             WHEN @level = 'errors' OR EXISTS (SELECT 1 FROM json_each(coalesce(findings, '[]')) WHERE json_extract(value, '$.severity') = 'error') THEN 'errors'
             WHEN @level = 'warnings' OR EXISTS (SELECT 1 FROM json_each(coalesce(findings, '[]')) WHERE json_extract(value, '$.severity') = 'warning') THEN 'warnings'
             ELSE 'ok' END
           WHERE ubl_sha256 = @sha256`,
        );
        await tx.each(results, (r) => {
          const l = levelOf(r.findings);
          insert.run(r.sha256, release, r.state, l, toJson(r.findings), now);
          level.run({ level: l, sha256: r.sha256 });
        });
      });
    },

    /**
     * Forgets the results of every other release (their documents are checked again under this one) and the
     * checks that failed to run (tried again once per start).
     */
    keepOnly(release: string): Promise<number> {
      return ctx.write(() => ctx.w(`DELETE FROM check_results WHERE release <> ? OR state = 'failed'`).run(release).changes);
    },

    /** The other documents of this one's dossier and kind (direction) that carry the same number, exactly as written. */
    sameNumber(documentId: number): SameNumberDocument[] {
      const rows = ctx
        .r(
          `SELECT o.id, o.status, o.seller_enterprise, o.seller_vat, o.seller_name FROM documents d
           JOIN documents o ON o.dossier_id = d.dossier_id AND o.direction = d.direction AND o.number_key = d.number_key AND o.number = d.number
           WHERE d.id = ? AND o.id <> d.id AND o.status <> 'deleted'`,
        )
        .all(documentId) as Row[];
      return rows.map((r) => ({ id: r.id, status: r.status, sellerEnterprise: r.seller_enterprise, sellerVat: r.seller_vat, sellerName: r.seller_name }));
    },

    decision(documentId: number): Decision | null {
      return (ctx.r('SELECT decision FROM document_decisions WHERE document_id = ?').pluck().get(documentId) as Decision | undefined) ?? null;
    },

    decisions(documentIds: readonly number[]): Map<number, Decision> {
      const out = new Map<number, Decision>();
      if (!documentIds.length) return out;
      const rows = ctx
        .r('SELECT document_id, decision FROM document_decisions WHERE document_id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(documentIds)) as Row[];
      for (const row of rows) out.set(row.document_id, row.decision);
      return out;
    },

    /** Records the accountant's decision and moves the documents' status with it ('held', or back to 'new'). */
    decide(documentIds: readonly number[], decision: Decision): Promise<number[]> {
      return ctx.write(async (tx) => {
        const now = ctx.now();
        const changed: number[] = [];
        const record = ctx.w(
          `INSERT INTO document_decisions (document_id, decision, at) VALUES (?, ?, ?)
           ON CONFLICT (document_id) DO UPDATE SET decision = excluded.decision, at = excluded.at`,
        );
        const move =
          decision === 'hold'
            ? ctx.w(`UPDATE documents SET status = 'held', updated_at = ? WHERE id = ? AND status IN ('new', 'export-failed', 'held')`)
            : ctx.w(`UPDATE documents SET status = 'new', updated_at = ? WHERE id = ? AND status = 'held'`);
        await tx.each(documentIds, (id) => {
          const exists = ctx.w(`SELECT status FROM documents WHERE id = ?`).pluck().get(id) as string | undefined;
          if (exists === undefined || exists === 'exported' || exists === 'deleted') return;
          record.run(id, decision, now);
          move.run(now, id);
          changed.push(id);
        });
        return changed;
      });
    },

    /** Holds documents back on the app's own account (Venice would refuse them), leaving the decision open. */
    hold(documentIds: readonly number[]): Promise<void> {
      return ctx.write(async (tx) => {
        const now = ctx.now();
        const move = ctx.w(`UPDATE documents SET status = 'held', updated_at = ? WHERE id = ? AND status IN ('new', 'export-failed')`);
        await tx.each(documentIds, (id) => void move.run(now, id));
      });
    },
  };
}
