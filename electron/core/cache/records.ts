import { decodeCursor, fromJson, pageSize, safeText, toJson, toPage, type Ctx, type Row } from './context';
import type {
  AccountInput,
  AccountRecord,
  AuditEntry,
  AuditInput,
  ManifestEntry,
  ManifestInput,
  ManifestStatus,
  Page,
  PageArgs,
} from './types';

// ---------------------------------------------------------------- export manifest

function toEntry(row: Row): ManifestEntry {
  return {
    id: row.id,
    root: row.root,
    relativePath: row.relative_path,
    dossierId: row.dossier_id,
    documentId: row.document_id,
    statementId: row.statement_id,
    kind: row.kind,
    sha256: row.sha256,
    size: row.size,
    writtenAt: row.written_at,
    status: row.status,
    reason: row.reason,
  };
}

export interface ManifestPageArgs extends PageArgs {
  dossierId?: number;
  root?: string;
  status?: ManifestStatus;
}

/** What was exported where: one row per attempt (written, unchanged, conflict, skipped, failed). */
export function manifestRepo(ctx: Ctx) {
  const insert = (e: ManifestInput) =>
    Number(
      ctx
        .w(
          `INSERT INTO export_manifest (root, relative_path, dossier_id, document_id, statement_id, kind, sha256, size, written_at, status, reason)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.root,
          e.relativePath,
          e.dossierId ?? null,
          e.documentId ?? null,
          e.statementId ?? null,
          e.kind ?? null,
          e.sha256 ?? null,
          e.size ?? null,
          e.writtenAt ?? ctx.now(),
          e.status,
          safeText(e.reason),
        ).lastInsertRowid,
    );

  return {
    add(entry: ManifestInput): Promise<number> {
      return ctx.write(() => insert(entry));
    },
    addMany(entries: readonly ManifestInput[]): Promise<number[]> {
      return ctx.write(async (tx) => {
        const ids: number[] = [];
        await tx.each(entries, (e) => ids.push(insert(e)));
        return ids;
      });
    },
    /** The latest entry for this path under this root. */
    latest(root: string, relativePath: string): ManifestEntry | null {
      const row = ctx
        .r('SELECT * FROM export_manifest WHERE root = ? AND relative_path = ? ORDER BY id DESC LIMIT 1')
        .get(root, relativePath) as Row | undefined;
      return row ? toEntry(row) : null;
    },
    /** The latest successful write of these bytes under this root (a re-export of the same file is a no-op). */
    latestBySha(root: string, sha256: string): ManifestEntry | null {
      const row = ctx
        .r(`SELECT * FROM export_manifest WHERE root = ? AND sha256 = ? AND status IN ('written', 'unchanged') ORDER BY id DESC LIMIT 1`)
        .get(root, sha256) as Row | undefined;
      return row ? toEntry(row) : null;
    },
    forDocument(documentId: number): ManifestEntry[] {
      return (ctx.r('SELECT * FROM export_manifest WHERE document_id = ? ORDER BY id').all(documentId) as Row[]).map(toEntry);
    },
    forStatement(statementId: number): ManifestEntry[] {
      return (ctx.r('SELECT * FROM export_manifest WHERE statement_id = ? ORDER BY id').all(statementId) as Row[]).map(toEntry);
    },
    /** Export history, newest first, keyset-paged; by dossier, root and/or status. */
    page(args: ManifestPageArgs = {}): Page<ManifestEntry> {
      const limit = pageSize(args.limit);
      const after = decodeCursor(args.after, 1);
      const where: string[] = [];
      const params: unknown[] = [];
      if (args.dossierId !== undefined) {
        where.push('dossier_id = ?');
        params.push(args.dossierId);
      }
      if (args.root !== undefined) {
        where.push('root = ?');
        params.push(args.root);
      }
      if (args.status !== undefined) {
        where.push('status = ?');
        params.push(args.status);
      }
      if (after) {
        where.push('id < ?');
        params.push(after[0]);
      }
      const rows = ctx
        .r(`SELECT * FROM export_manifest ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`)
        .all(...params, limit + 1) as Row[];
      return toPage(rows, limit, toEntry, (r) => [r.id]);
    },
  };
}

// ---------------------------------------------------------------- audit log

export function auditRepo(ctx: Ctx) {
  return {
    /** Records what the app did on the user's behalf; details are stored as JSON, scrubbed of secrets. */
    add(entry: AuditInput): Promise<number> {
      return ctx.write(() =>
        Number(
          ctx
            .w('INSERT INTO audit_log (at, actor, action, dossier_id, subject, details) VALUES (?, ?, ?, ?, ?, ?)')
            .run(ctx.now(), entry.actor ?? 'user', entry.action, entry.dossierId ?? null, safeText(entry.subject), toJson(entry.details))
            .lastInsertRowid,
        ),
      );
    },
    page(args: PageArgs & { dossierId?: number } = {}): Page<AuditEntry> {
      const limit = pageSize(args.limit);
      const after = decodeCursor(args.after, 1);
      const where: string[] = [];
      const params: unknown[] = [];
      if (args.dossierId !== undefined) {
        where.push('dossier_id = ?');
        params.push(args.dossierId);
      }
      if (after) {
        where.push('id < ?');
        params.push(after[0]);
      }
      const rows = ctx
        .r(`SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`)
        .all(...params, limit + 1) as Row[];
      return toPage(
        rows,
        limit,
        (r): AuditEntry => ({
          id: r.id,
          at: r.at,
          actor: r.actor,
          action: r.action,
          dossierId: r.dossier_id,
          subject: r.subject,
          details: fromJson(r.details, null),
        }),
        (r) => [r.id],
      );
    },
  };
}

// ---------------------------------------------------------------- accounts (never their secrets)

function toAccount(row: Row): AccountRecord {
  return {
    id: row.id,
    kind: row.kind,
    environment: row.environment,
    auth: row.auth,
    label: row.label,
    lastVerifiedAt: row.last_verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function accountId(kind: string, environment: string): string {
  return `${kind}:${environment}`;
}

export function accountsRepo(ctx: Ctx) {
  return {
    list(): AccountRecord[] {
      return (ctx.r('SELECT * FROM accounts ORDER BY kind, environment').all() as Row[]).map(toAccount);
    },
    get(id: string): AccountRecord | null {
      const row = ctx.r('SELECT * FROM accounts WHERE id = ?').get(id) as Row | undefined;
      return row ? toAccount(row) : null;
    },
    /** Saves the account's description (its secret goes to the keychain, never here); new credentials are unverified. */
    upsert(account: AccountInput): Promise<AccountRecord> {
      return ctx.write(() => {
        const id = accountId(account.kind, account.environment);
        const now = ctx.now();
        ctx
          .w(
            `INSERT INTO accounts (id, kind, environment, auth, label, last_verified_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, NULL, ?, ?)
             ON CONFLICT (id) DO UPDATE SET auth = excluded.auth, label = excluded.label, updated_at = excluded.updated_at,
               last_verified_at = NULL`,
          )
          .run(id, account.kind, account.environment, account.auth, safeText(account.label), now, now);
        return toAccount(ctx.w('SELECT * FROM accounts WHERE id = ?').get(id) as Row);
      });
    },
    /** Records a successful check of the credentials (and, when known, a better label). */
    markVerified(id: string, label?: string): Promise<void> {
      return ctx.write(() => {
        const now = ctx.now();
        ctx
          .w('UPDATE accounts SET last_verified_at = ?, label = coalesce(?, label), updated_at = ? WHERE id = ?')
          .run(now, safeText(label), now, id);
      });
    },
    remove(id: string): Promise<boolean> {
      return ctx.write(() => ctx.w('DELETE FROM accounts WHERE id = ?').run(id).changes > 0);
    },
  };
}
