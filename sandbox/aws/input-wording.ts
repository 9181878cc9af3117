// How a service words a validation error. The older APIs (ECS, ECR,
// CloudWatch) answer with a sentence naming the field; the newer ones (SSM,
// EventBridge, Step Functions) with Smithy's "1 validation error detected".

/** The type a member should have had. */
export type Expected =
  | 'string'
  | 'number'
  | 'boolean'
  | 'timestamp'
  | 'string list'
  | 'list'
  | 'object'
  | { integerFrom: number; to: number };

/** What is wrong with a member: missing (absent, blank or an empty list), or not of the expected type. */
export type Problem = { missing: 'absent' | 'blank' | 'empty' } | { expected: Expected };

/** Words the message for a problem with the member at `path` (e.g. `containerDefinitions[0].image`). */
export type Wording = (path: string, problem: Problem, value: unknown) => string;

const ARTICLES: Record<Exclude<Expected, object>, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  timestamp: 'a timestamp',
  'string list': 'a list of strings',
  list: 'a list',
  object: 'an object',
};

/** ECS's, ECR's and CloudWatch's wording: `cluster must be a string.` */
export const sentenceWording: Wording = (path, problem) => {
  if ('missing' in problem) {
    if (problem.missing === 'blank') return `${path} is required and can not be blank.`;
    if (problem.missing === 'empty') return `${path} is required and can not be empty.`;
    return `The parameter ${path} is required.`;
  }
  const { expected } = problem;
  if (typeof expected === 'object') return `${path} must be an integer from ${expected.integerFrom} to ${expected.to}.`;
  return `${path || 'The request'} must be ${ARTICLES[expected]}.`;
};

const CONSTRAINTS: Record<Exclude<Expected, object>, string> = {
  string: 'Member must be a string',
  number: 'Member must be a number',
  boolean: 'Member must be a boolean',
  timestamp: 'Member must be a timestamp',
  'string list': 'Member must be a list of strings',
  list: 'Member must be a list of structures',
  object: 'Member must be a list of structures',
};

/** Smithy's wording (SSM, EventBridge, Step Functions): `1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: …`. */
export const constraintWording: Wording = (path, problem, value) => {
  let constraint: string;
  if ('missing' in problem) constraint = 'Member must not be null';
  else if (typeof problem.expected === 'object') constraint = rangeConstraint(problem.expected, Number(value));
  else constraint = CONSTRAINTS[problem.expected];
  const shown =
    'missing' in problem || value === undefined
      ? 'null'
      : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  // A list item's problem is the list member's: `Entries[2]` is reported at `entries`.
  const member = path.replace(/\[\d+\].*$/, '');
  const field = member.charAt(0).toLowerCase() + member.slice(1);
  return `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`;
};

function rangeConstraint({ integerFrom, to }: { integerFrom: number; to: number }, value: number): string {
  if (value < integerFrom) return `Member must have value greater than or equal to ${integerFrom}`;
  if (value > to) return `Member must have value less than or equal to ${to}`;
  return 'Member must be an integer';
}
