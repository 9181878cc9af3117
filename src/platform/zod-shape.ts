import * as z from 'zod';

// What the ASL contract check reads of a zod schema: its object keys, which of
// them an input may leave out, its union variants. Wrappers that do not change
// a value's shape (optional, default, refine, readonly...) are looked through.

/** Which side of a pipe (`a.transform(...).pipe(b)`) the check looks at: what comes in, or what comes out. */
export type Side = 'input' | 'output';

/** The schema under wrappers that keep a value's shape; undefined for a bare transform (any shape). */
export function unwrap(schema: z.ZodType, side: Side): z.ZodType | undefined {
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault ||
    schema instanceof z.ZodCatch ||
    schema instanceof z.ZodReadonly ||
    schema instanceof z.ZodNonOptional
  ) {
    return unwrap(schema.def.innerType as z.ZodType, side);
  }
  if (schema instanceof z.ZodPipe) {
    return unwrap((side === 'input' ? schema.def.in : schema.def.out) as z.ZodType, side);
  }
  if (schema instanceof z.ZodLazy) return unwrap(schema.def.getter() as z.ZodType, side);
  if (schema instanceof z.ZodTransform) return undefined;
  return schema;
}

/** The keys of an object schema; undefined when the schema is not an object. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : undefined;
}

/** Whether an object schema takes keys it does not name (`looseObject`, a catchall). */
export function takesOtherKeys(schema: z.ZodType): boolean {
  if (!(schema instanceof z.ZodObject)) return false;
  const catchall = schema.def.catchall as z.ZodType | undefined;
  return catchall !== undefined && !(catchall instanceof z.ZodNever);
}

/** Whether an input may leave this key out (optional, or with a default). */
export function isOptionalKey(schema: z.ZodType): boolean {
  return schema._zod.optin !== undefined;
}

/** The variants of a union, and the key that tells them apart if it is a discriminated one. */
export function unionOf(schema: z.ZodType): { options: z.ZodType[]; discriminator?: string } | undefined {
  if (!(schema instanceof z.ZodUnion)) return undefined;
  const options = [...schema.def.options] as z.ZodType[];
  const discriminator = schema instanceof z.ZodDiscriminatedUnion ? schema.def.discriminator : undefined;
  return { options, ...(discriminator === undefined ? {} : { discriminator }) };
}

/** Whether values of this schema can be anything (no key of theirs can be checked). */
export function isOpen(schema: z.ZodType): boolean {
  return schema instanceof z.ZodUnknown || schema instanceof z.ZodAny || schema instanceof z.ZodRecord;
}

/** The element schema of an array schema. */
export function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  return schema instanceof z.ZodArray ? (schema.def.element as z.ZodType) : undefined;
}

/** Why `value` is refused by `schema`, in one line; undefined when it is accepted. */
export function refusal(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : z.prettifyError(parsed.error).replaceAll('\n', ' ');
}
