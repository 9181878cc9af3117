// EventBridge event patterns, as the EventBridge User Guide defines them
// ("Event patterns", "Comparison operators"): every field of the pattern must
// match (AND), each leaf is a list of alternatives (OR), nested objects match
// nested objects, and a leaf matches an array in the event when any element
// matches. Operators: exact values (strings, numbers, booleans, null),
// `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `anything-but`,
// `exists`, `numeric`, and `$or`.

export type EventPattern = Record<string, unknown>;

/** A pattern EventBridge would refuse (PutRule answers InvalidEventPatternException). */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether `event` matches `pattern`. Throws InvalidEventPatternError for a malformed pattern. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

/** Checks a pattern once, up front (a rule with a bad pattern must not wait for an event to fail). */
export function validatePattern(pattern: unknown): asserts pattern is EventPattern {
  if (!isObject(pattern)) throw new InvalidEventPatternError('an event pattern must be a JSON object');
  // Matching against an empty object visits every operator of the pattern.
  matchObject(pattern, {});
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') (rule as unknown[]).forEach(validatePattern);
    else if (isObject(rule)) validatePattern(rule);
    else if (Array.isArray(rule)) {
      for (const matcher of rule) if (!(isObject(matcher) && 'exists' in matcher)) matchOne(matcher, undefined);
    }
  }
}

function matchObject(pattern: EventPattern, value: unknown): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isObject)) {
        throw new InvalidEventPatternError('"$or" takes a list of at least two patterns');
      }
      if (!rule.some((alternative) => matchObject(alternative, value))) return false;
      continue;
    }
    const present = isObject(value) && Object.hasOwn(value, key);
    const field = present ? value[key] : undefined;
    if (Array.isArray(rule)) {
      if (!matchLeaf(rule, present, field)) return false;
    } else if (isObject(rule)) {
      // An array of objects in the event matches when any of its elements does.
      const candidates = Array.isArray(field) ? field : [field];
      if (!candidates.some((candidate) => matchObject(rule, candidate))) return false;
    } else {
      throw new InvalidEventPatternError(`"${key}": a pattern value must be a list or an object`);
    }
  }
  return true;
}

function matchLeaf(matchers: unknown[], present: boolean, value: unknown): boolean {
  if (matchers.length === 0) throw new InvalidEventPatternError('an empty list matches nothing');
  const values = present ? (Array.isArray(value) ? value : [value]) : [];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) {
      if (typeof matcher.exists !== 'boolean') throw new InvalidEventPatternError('"exists" takes true or false');
      // Exists matching only works on leaf nodes.
      return matcher.exists === (present && !isObject(value));
    }
    return values.some((item) => matchOne(matcher, item));
  });
}

/** One alternative of a leaf against one value (undefined only while validating). */
function matchOne(matcher: unknown, value: unknown): boolean {
  if (matcher === null || typeof matcher !== 'object') return value === matcher;
  if (Array.isArray(matcher)) throw new InvalidEventPatternError('a list cannot be nested in a list');
  const entries = Object.entries(matcher);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined) {
    throw new InvalidEventPatternError(`an operator object has exactly one key, got ${JSON.stringify(matcher)}`);
  }
  switch (operator) {
    case 'prefix':
      return matchText(operand, value, (text, wanted) => text.startsWith(wanted));
    case 'suffix':
      return matchText(operand, value, (text, wanted) => text.endsWith(wanted));
    case 'equals-ignore-case': {
      const wanted = requireString(operand, operator).toLowerCase();
      return typeof value === 'string' && value.toLowerCase() === wanted;
    }
    case 'wildcard': {
      const pattern = wildcard(requireString(operand, operator));
      return typeof value === 'string' && pattern.test(value);
    }
    case 'anything-but':
      return anythingBut(operand, value);
    case 'numeric':
      return numeric(operand, value);
    case 'exists':
      throw new InvalidEventPatternError('"exists" must be an alternative of its own in a leaf list');
    default:
      throw new InvalidEventPatternError(`the sandbox does not implement the "${operator}" operator`);
  }
}

/** `prefix`/`suffix`, optionally as `{ "equals-ignore-case": text }`. */
function matchText(operand: unknown, value: unknown, test: (text: string, wanted: string) => boolean): boolean {
  if (isObject(operand) && 'equals-ignore-case' in operand) {
    const wanted = requireString(operand['equals-ignore-case'], 'equals-ignore-case').toLowerCase();
    return typeof value === 'string' && test(value.toLowerCase(), wanted);
  }
  const wanted = requireString(operand, 'prefix/suffix');
  return typeof value === 'string' && test(value, wanted);
}

function anythingBut(operand: unknown, value: unknown): boolean {
  if (isObject(operand)) {
    // anything-but over prefix, suffix, equals-ignore-case or wildcard: only strings can match.
    const inner = matchOne(operand, value);
    return typeof value === 'string' && !inner;
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  for (const item of excluded) {
    if (item === null || (typeof item !== 'string' && typeof item !== 'number')) {
      throw new InvalidEventPatternError('"anything-but" takes strings or numbers');
    }
  }
  return value !== undefined && !excluded.includes(value);
}

const COMPARATORS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** `numeric: [">", 0, "<=", 5]`: every comparison must hold; only JSON numbers match. */
function numeric(operand: unknown, value: unknown): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new InvalidEventPatternError('"numeric" takes one or two [operator, number] pairs');
  }
  let holds = typeof value === 'number';
  for (let index = 0; index < operand.length; index += 2) {
    const compare = COMPARATORS[String(operand[index])];
    const bound = operand[index + 1];
    if (!compare || typeof bound !== 'number') {
      throw new InvalidEventPatternError(`"numeric": ${JSON.stringify(operand)} is not [operator, number, ...]`);
    }
    holds = holds && compare(value as number, bound);
  }
  return holds;
}

function requireString(operand: unknown, operator: string): string {
  if (typeof operand !== 'string') throw new InvalidEventPatternError(`"${operator}" takes a string`);
  return operand;
}

/** `*` matches any run of characters; everything else is literal. */
function wildcard(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's');
}
