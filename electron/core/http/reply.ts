/**
 * Replies from Billit and Venice Cloud are checked against a schema at the client's edge, before anything
 * reads them: a reply that does not have the shape the app relies on is refused whole (never half-used,
 * never stored) with an error that names the field, so a change on their side shows as a clear failure
 * instead of a wrong invoice in the cache.
 */
import * as z from 'zod/mini';
import type { $ZodIssue, $ZodType } from 'zod/v4/core';
import { AppError } from '../../../shared/api/errors';

export interface ReplyShapeDetails {
  service: 'billit' | 'venice';
  /** The call, e.g. `GET /v1/orders/{orderID}` or "list the customers of dossier ACME001". */
  operation: string;
  /** Where in the reply, e.g. `Items[3].OrderID`; `(reply)` for the reply as a whole. */
  field: string;
  /** What was wrong there (never the value: a reply may carry a credential). */
  problem: string;
}

export class ReplyShapeError extends AppError {
  declare readonly details: ReplyShapeDetails;
  constructor(details: ReplyShapeDetails) {
    const service = details.service === 'billit' ? 'Billit' : 'Venice Cloud';
    super(
      'invalid-reply',
      `${service}'s reply to ${details.operation} does not have the expected shape at ${details.field} (${details.problem}); nothing of it was used.`,
      details,
    );
  }
}

/** `Items[3].OrderID` from zod's path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(reply)';
}

/** What is there, by JSON type (never the value itself). */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return value === undefined ? 'nothing' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function valueAt(reply: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let at = reply;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

function problemOf(issue: $ZodIssue, reply: unknown): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, found ${jsonType(valueAt(reply, issue.path))}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_union') return `found ${jsonType(valueAt(reply, issue.path))}, which none of its accepted types is`;
  return issue.message;
}

/** `reply` as `schema` has it, or a ReplyShapeError naming the first field that differs (`at`: where `reply` sits in the whole). */
export function parseReply<S extends $ZodType>(
  schema: S,
  reply: unknown,
  where: Pick<ReplyShapeDetails, 'service' | 'operation'>,
  at: ReadonlyArray<PropertyKey> = [],
): z.output<S> {
  const result = z.safeParse(schema, reply);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ReplyShapeError({ ...where, field: fieldPath([...at, ...issue.path]), problem: problemOf(issue, reply) });
}
