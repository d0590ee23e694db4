import { ZodError } from 'zod';
import { AppError, calls, isChannel, type Envelope, type Handlers } from '../../shared/api';
import type { Logger } from './log';

/**
 * The single entry point both hosts use: the channel must be known, the input must
 * pass its schema, and whatever happens the caller gets an envelope, never a crash.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawInput: unknown,
  log?: Logger,
): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'unknown-call', message: `Unknown call: ${String(channel).slice(0, 80)}` } };
  }
  const parsed = calls[channel].input.safeParse(rawInput);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid-input', message: `Invalid input for ${channel}`, details: issues(parsed.error) },
    };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toData() };
    if (error instanceof ZodError) return { ok: false, error: { code: 'invalid-input', message: 'Invalid data', details: issues(error) } };
    log?.error(`call ${channel} failed`, error);
    return { ok: false, error: { code: 'internal', message: 'An unexpected error occurred; see the log file.' } };
  }
}

function issues(error: ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
