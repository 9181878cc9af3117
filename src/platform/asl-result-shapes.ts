import type * as z from 'zod';
import { arrayElement, isOpen, objectShape, takesOtherKeys, unionOf, unwrap } from './zod-shape.ts';

// What the contract check knows of the data a state writes: anything (unknown
// input, another service's result), a value with no keys, an object with known
// keys, an array, a step's output schema, or one of several of these.

/** The known shape of a value in the state data. */
export type Shape =
  | { kind: 'any' }
  | { kind: 'leaf' }
  | { kind: 'keys'; keys: Record<string, Shape> }
  | { kind: 'array'; element: Shape }
  | { kind: 'schema'; schema: z.ZodType }
  | { kind: 'oneOf'; shapes: Shape[] };

export const ANY: Shape = { kind: 'any' };
const LEAF: Shape = { kind: 'leaf' };

/** An array index (`[0]`, `[*]`) in a path's segments. */
export const INDEX = '[]';

/** The segments of a reference path (`$.a.b[0]` → a, b, []); undefined for a path that is not one (`$$.Map...`). */
export function pathSegments(path: string): string[] | undefined {
  if (path !== '$' && !path.startsWith('$.') && !path.startsWith('$[')) return undefined;
  return [...path.slice(1).matchAll(/\.([^.[\]]+)|\[[^\]]*\]/g)].map((match) => match[1] ?? INDEX);
}

// Narrows a schema to the shapes the next segment can be read from: object keys, array elements.
function schemaChild(schema: z.ZodType, segment: string): Shape | undefined {
  const inner = unwrap(schema, 'output');
  if (inner === undefined || isOpen(inner)) return ANY;
  const union = unionOf(inner);
  if (union !== undefined) {
    const shapes = union.options.flatMap((option) => schemaChild(option, segment) ?? []);
    return shapes.length === 0 ? undefined : { kind: 'oneOf', shapes };
  }
  if (segment === INDEX) {
    const element = arrayElement(inner);
    return element === undefined ? undefined : { kind: 'schema', schema: element };
  }
  const field = objectShape(inner)?.[segment];
  if (field !== undefined) return { kind: 'schema', schema: field };
  return takesOtherKeys(inner) ? ANY : undefined;
}

/** The shape found at `segment` under `shape`; undefined when `shape` cannot have it. */
export function childOf(shape: Shape, segment: string): Shape | undefined {
  switch (shape.kind) {
    case 'any':
      return ANY;
    case 'leaf':
      return undefined;
    case 'keys':
      return segment === INDEX ? undefined : shape.keys[segment];
    case 'array':
      return segment === INDEX ? shape.element : undefined;
    case 'schema':
      return schemaChild(shape.schema, segment);
    case 'oneOf': {
      const shapes = shape.shapes.flatMap((one) => childOf(one, segment) ?? []);
      return shapes.length === 0 ? undefined : { kind: 'oneOf', shapes };
    }
  }
}

/** The shape at the end of `segments`, or the first segment `shape` cannot have. */
export function follow(shape: Shape, segments: string[]): { shape: Shape } | { missing: number; under: Shape } {
  let current = shape;
  for (const [index, segment] of segments.entries()) {
    const next = childOf(current, segment);
    if (next === undefined) return { missing: index, under: current };
    current = next;
  }
  return { shape: current };
}

/** The keys a shape is known to have, for error messages. */
export function keysOf(shape: Shape): string[] {
  switch (shape.kind) {
    case 'keys':
      return Object.keys(shape.keys);
    case 'schema': {
      const inner = unwrap(shape.schema, 'output');
      const union = inner === undefined ? undefined : unionOf(inner);
      if (union !== undefined)
        return keysOf({ kind: 'oneOf', shapes: union.options.map((schema) => ({ kind: 'schema', schema })) });
      return Object.keys((inner && objectShape(inner)) ?? {});
    }
    case 'oneOf':
      return [...new Set(shape.shapes.flatMap(keysOf))];
    default:
      return [];
  }
}

/** The shape of a literal value in the ASL (a Pass state's Result, a literal in Parameters). */
export function literalShape(value: unknown): Shape {
  if (Array.isArray(value)) return { kind: 'array', element: ANY };
  if (typeof value !== 'object' || value === null) return LEAF;
  return {
    kind: 'keys',
    keys: Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literalShape(item)])),
  };
}

/**
 * The shape a payload template (Parameters, ResultSelector, ItemSelector) builds:
 * its keys, each `key.$` the shape its path reads from `source` (anything for an
 * intrinsic function or the context object).
 */
export function templateShape(template: unknown, source: Shape): Shape {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) return literalShape(template);
  const keys: Record<string, Shape> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      const segments = typeof value === 'string' ? pathSegments(value) : undefined;
      const found = segments === undefined ? undefined : follow(source, segments);
      keys[key.slice(0, -2)] = found !== undefined && 'shape' in found ? found.shape : ANY;
    } else {
      keys[key] = templateShape(value, source);
    }
  }
  return { kind: 'keys', keys };
}
