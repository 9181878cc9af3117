import type * as z from 'zod';
import { isOpen, isOptionalKey, objectShape, refusal, takesOtherKeys, unionOf, unwrap } from './zod-shape.ts';

// Whether a Task's Parameters give a step exactly what its input schema takes:
// every required key, no key the schema does not know, each literal a value
// the schema accepts. A `foo.$` key stands for `foo` with a value chosen at run
// time (its shape is not known here); nested literal objects are checked key by key.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const keyName = (key: string) => (key.endsWith('.$') ? key.slice(0, -2) : key);
const joined = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/** Every way `parameters` (a Task's Parameters or Payload) differs from the step's input schema, one line each. */
export function inputProblems(schema: z.ZodType, parameters: unknown, path = ''): string[] {
  const inner = unwrap(schema, 'input');
  if (inner === undefined || isOpen(inner)) return [];
  const union = unionOf(inner);
  if (union !== undefined) return unionProblems(union, parameters, path);
  const shape = objectShape(inner);
  if (shape === undefined || !isRecord(parameters)) {
    const problem = refusal(schema, parameters);
    const where = path === '' ? 'Parameters' : `Parameters key "${path}"`;
    return problem === undefined
      ? []
      : [`${where} = ${JSON.stringify(parameters)} is not what the step takes: ${problem}`];
  }
  const expected = Object.keys(shape).join(', ');
  const given = new Map(Object.entries(parameters).map(([key, value]) => [keyName(key), { key, value }]));
  const problems: string[] = [];
  for (const [name, { key, value }] of given) {
    const field = shape[name];
    if (field === undefined) {
      if (!takesOtherKeys(inner)) {
        problems.push(`Parameters key "${joined(path, name)}" is not in the step's input (expected: ${expected})`);
      }
    } else if (!key.endsWith('.$')) {
      problems.push(...inputProblems(field, value, joined(path, name)));
    }
  }
  for (const [name, field] of Object.entries(shape)) {
    if (!given.has(name) && !isOptionalKey(field)) {
      problems.push(`required key "${joined(path, name)}" is missing from Parameters (expected: ${expected})`);
    }
  }
  return problems;
}

// A discriminated union is narrowed by the literal its key is given (rotateSecret's
// `step: create`); the Parameters pass when any remaining variant takes them.
function unionProblems(
  union: { options: z.ZodType[]; discriminator?: string },
  parameters: unknown,
  path: string,
): string[] {
  let candidates = union.options;
  const { discriminator } = union;
  if (discriminator !== undefined && isRecord(parameters) && discriminator in parameters) {
    const literal = parameters[discriminator];
    candidates = union.options.filter((option) => {
      const field = objectShape(unwrap(option, 'input') ?? option)?.[discriminator];
      return field !== undefined && refusal(field, literal) === undefined;
    });
    if (candidates.length === 0) {
      const expected = union.options.flatMap((option) => {
        const values = objectShape(unwrap(option, 'input') ?? option)?.[discriminator]?._zod.values;
        return values === undefined ? [] : [...values].map(String);
      });
      return [
        `Parameters key "${joined(path, discriminator)}" = ${JSON.stringify(literal)} matches no variant of the step's input (expected: ${expected.join(', ')})`,
      ];
    }
  }
  const attempts = candidates.map((option) => inputProblems(option, parameters, path));
  const fewest = attempts.reduce<string[] | undefined>(
    (best, problems) => (best === undefined || problems.length < best.length ? problems : best),
    undefined,
  );
  return fewest ?? [];
}

/**
 * The keys a step's input requires that `available` (the keys the state data
 * is known to hold, when a Task passes it whole) lacks, one line each.
 */
export function wholeInputProblems(schema: z.ZodType, available: ReadonlySet<string>): string[] {
  const inner = unwrap(schema, 'input');
  const shape = inner === undefined ? undefined : objectShape(inner);
  if (shape === undefined) return [];
  const has = [...available].join(', ');
  return Object.entries(shape)
    .filter(([name, field]) => !isOptionalKey(field) && !available.has(name))
    .map(([name]) => `required key "${name}" is not in the state data the Task passes whole (it has: ${has})`);
}
