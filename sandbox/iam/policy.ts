import { AwsApiError } from '../aws/service.ts';

// Policy documents as IAM reads them: JSON with a Statement (one or a list),
// each with an Effect, and Principal/Action/Condition values that are a
// string or a list of strings.

/** One statement of a policy, its values normalised to lists. */
export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  /** `*` for `"Principal": "*"`; else by principal type (`AWS`, `Service`, `Federated`). */
  principals: '*' | Record<string, string[]>;
  /** Condition operator → condition key → values. */
  conditions: Record<string, Record<string, string[]>>;
}

const malformed = (message: string) => new AwsApiError('MalformedPolicyDocumentException', message);

const strings = (value: unknown): string[] | undefined => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The statements of a policy document, or IAM's MalformedPolicyDocument. */
export function parsePolicy(document: string): PolicyStatement[] {
  let policy: unknown;
  try {
    policy = JSON.parse(document);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isRecord(policy)) throw malformed('This policy contains invalid Json');
  const raw = policy.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) throw malformed('Syntax errors in policy.');
  return list.map((statement): PolicyStatement => {
    if (!isRecord(statement)) throw malformed('Syntax errors in policy.');
    const { Effect, Action, Principal, Condition } = statement;
    if (Effect !== 'Allow' && Effect !== 'Deny') throw malformed('Syntax errors in policy.');
    const actions = strings(Action);
    if (!actions) throw malformed('Syntax errors in policy.');
    let principals: PolicyStatement['principals'] = {};
    if (Principal === '*') principals = '*';
    else if (isRecord(Principal)) {
      for (const [type, value] of Object.entries(Principal)) {
        const names = strings(value);
        if (!names) throw malformed('Invalid principal in policy');
        principals[type] = names;
      }
    } else if (Principal !== undefined) throw malformed('Invalid principal in policy');
    const conditions: PolicyStatement['conditions'] = {};
    if (Condition !== undefined) {
      if (!isRecord(Condition)) throw malformed('Syntax errors in policy.');
      for (const [operator, keys] of Object.entries(Condition)) {
        if (!isRecord(keys)) throw malformed('Syntax errors in policy.');
        conditions[operator] = {};
        for (const [key, value] of Object.entries(keys)) {
          const values = strings(value);
          if (!values) throw malformed('Syntax errors in policy.');
          conditions[operator][key] = values;
        }
      }
    }
    return { effect: Effect, actions, principals, conditions };
  });
}
