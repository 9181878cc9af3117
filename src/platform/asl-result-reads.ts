import { ANY, follow, keysOf, literalShape, pathSegments, type Shape, templateShape } from './asl-result-shapes.ts';
import type { AslScope, AslState } from './asl-tasks.ts';

// Where each state of a scope puts its result (ResultPath) and what the states
// of that scope read back (JSONPaths in Parameters, ItemSelector, Choice rules,
// *Path fields). A read below a Lambda step's ResultPath must find its key in
// some value written there: the step's output, a Catch's error, a Pass state's
// literal, the Map's item. Reads of the execution input are not checked.

/** A value a state puts into the state data. */
export interface Write {
  state: string;
  /** Where (`$.a.b` → a, b; the whole state data: none). */
  at: string[];
  shape: Shape;
  /** The step whose result it is, when a Lambda Task put it. */
  step?: string;
}

/** A JSONPath a state reads from its input. */
export interface Read {
  state: string;
  path: string;
  segments: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// `$.a` alone, or the paths inside an intrinsic function (`States.Format('{}', $.a.b)`), not `$$.` context paths.
function pathsIn(value: string): string[] {
  if (!value.startsWith('States.')) return pathSegments(value) === undefined ? [] : [value];
  return [...value.matchAll(/(?<!\$)\$(?:\.[A-Za-z0-9_-]+|\[[^\]]*\])+/g)].map((match) => match[0]);
}

function templateReads(template: unknown, into: string[]): string[] {
  if (!isRecord(template)) return into;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') into.push(...pathsIn(value));
    else templateReads(value, into);
  }
  return into;
}

function choiceReads(rule: unknown, into: string[]): string[] {
  if (Array.isArray(rule)) for (const item of rule) choiceReads(item, into);
  if (!isRecord(rule)) return into;
  for (const [key, value] of Object.entries(rule)) {
    if ((key === 'Variable' || key.endsWith('Path')) && typeof value === 'string') into.push(...pathsIn(value));
    else if (key === 'And' || key === 'Or' || key === 'Not' || key === 'Choices') choiceReads(value, into);
  }
  return into;
}

const READ_FIELDS = [
  'InputPath',
  'ItemsPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
];

/** Every path a state reads from its own input. */
export function readsOf(name: string, state: AslState): Read[] {
  const paths = [
    ...templateReads(state.Parameters, []),
    ...templateReads(state.ItemSelector, []),
    ...choiceReads(state.Choices, []),
    ...READ_FIELDS.flatMap((field) => (typeof state[field] === 'string' ? pathsIn(state[field]) : [])),
  ];
  return paths.flatMap((path) => {
    const segments = pathSegments(path);
    return segments === undefined ? [] : [{ state: name, path, segments }];
  });
}

/** Where a ResultPath puts a result; undefined for `null` (the result is dropped). */
export function resultAt(resultPath: unknown): string[] | undefined {
  if (resultPath === null) return undefined;
  return pathSegments(typeof resultPath === 'string' ? resultPath : '$');
}

/** What a non-Lambda state writes (a Pass's template or Result, a Map's results, a Catch's error). */
export function otherWrites(name: string, state: AslState): Write[] {
  const writes: Write[] = [];
  const add = (resultPath: unknown, shape: Shape) => {
    const at = resultAt(resultPath);
    if (at !== undefined) writes.push({ state: name, at, shape });
  };
  if (state.Type === 'Pass') {
    const shape =
      state.Parameters !== undefined
        ? templateShape(state.Parameters, ANY)
        : state.Result !== undefined
          ? literalShape(state.Result)
          : ANY;
    add(state.ResultPath, shape);
  }
  if (state.Type === 'Map' || state.Type === 'Parallel') add(state.ResultPath, { kind: 'array', element: ANY });
  for (const handler of Array.isArray(state.Catch) ? state.Catch : []) {
    if (isRecord(handler)) add(handler.ResultPath, literalShape({ Error: '', Cause: '' }));
  }
  return writes;
}

/** The data a scope starts from, when its Map builds each item with an ItemSelector. */
export function scopeInput(scope: AslScope): Write | undefined {
  const selector = scope.parent?.ItemSelector ?? scope.parent?.Parameters;
  return isRecord(selector) ? { state: '(item)', at: [], shape: templateShape(selector, ANY) } : undefined;
}

const startsWith = (path: string[], prefix: string[]) => prefix.every((segment, index) => path[index] === segment);

/**
 * Why `read` finds nothing a Lambda step put there, or undefined when it does
 * (or reads no step's result). `writes` are all of its scope's writes.
 */
export function unreadableProblem(read: Read, writes: Write[]): { step: string; message: string } | undefined {
  const below = writes.filter(
    (write) =>
      write.step !== undefined &&
      write.at.length > 0 &&
      write.at.length < read.segments.length &&
      startsWith(read.segments, write.at),
  );
  if (below.length === 0) return undefined;
  const found = writes.some((write) =>
    startsWith(read.segments, write.at)
      ? 'shape' in follow(write.shape, read.segments.slice(write.at.length))
      : startsWith(write.at, read.segments),
  );
  if (found) return undefined;
  const writer = below.reduce((deepest, write) => (write.at.length > deepest.at.length ? write : deepest));
  const miss = follow(writer.shape, read.segments.slice(writer.at.length));
  const key = 'missing' in miss ? read.segments[writer.at.length + miss.missing] : read.segments.at(-1);
  const expected = 'missing' in miss ? keysOf(miss.under).join(', ') : '';
  return {
    step: writer.step ?? writer.state,
    message:
      `reads "${read.path}", but state ${writer.state} puts the step's result at $.${writer.at.join('.')} ` +
      `and it has no key "${key}" (expected: ${expected || 'no keys'})`,
  };
}
