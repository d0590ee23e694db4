import { decodeCursor, fromJson, pageSize, safeText, toJson, toPage, type Ctx, type Row } from './context';
import type {
  AccountInput,
  AccountRecord,
  AuditEntry,
  AuditInput,
  Page,
  PageArgs,
} from './types';

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
