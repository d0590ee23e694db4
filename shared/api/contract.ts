import type { z } from 'zod';

/**
 * One call across the process boundary: the zod schema its input must pass
 * before any handler runs, and (as a phantom type) what it returns.
 */
export interface CallSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /** Never read at run time; carries the result type. */
  readonly output?: O;
}

/** `call(schema).returns<Result>()` keeps the schema at run time and the result in the type. */
export function call<I extends z.ZodType>(input: I) {
  return { returns: <O>(): CallSpec<I, O> => ({ input }) };
}
