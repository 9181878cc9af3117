import * as z from 'zod';
import { InvalidInputError } from './errors.ts';

/** Validates a function's event against its schema; a mismatch is an InvalidInputError naming every bad field. */
export function parseEvent<T>(schema: z.ZodType<T>, event: unknown): T {
  const parsed = schema.safeParse(event);
  if (!parsed.success) throw new InvalidInputError(`invalid input: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
