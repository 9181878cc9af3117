import type { Caller } from '../aws/request-context.ts';
import { type PolicyStatement, parsePolicy } from '../iam/policy.ts';

// Whether a role's trust policy lets a caller assume it, as IAM evaluates one:
// an explicit Deny wins, else some Allow must name sts:AssumeRole, a principal
// that is the caller, and conditions the request meets. Principals: `*`, an
// account (`"123456789012"` or `arn:aws:iam::123456789012:root`: any caller of
// that account), a role's ARN (its sessions) or the caller's own ARN.
// Conditions: `sts:ExternalId` under StringEquals or StringLike; the sandbox
// does not evaluate other condition keys (they are treated as met).

/** What the AssumeRole request brings to the policy's conditions. */
export interface TrustRequest {
  caller: Caller;
  externalId?: string;
}

/** Whether `document` (a trust policy) lets the request's caller assume the role. */
export function trusts(document: string, request: TrustRequest): boolean {
  const matching = parsePolicy(document).filter(
    (statement) => allowsAssumeRole(statement) && namesCaller(statement, request.caller) && meets(statement, request),
  );
  return matching.length > 0 && matching.every((statement) => statement.effect === 'Allow');
}

function allowsAssumeRole({ actions }: PolicyStatement): boolean {
  return actions.some((action) => ['sts:assumerole', 'sts:*', '*'].includes(action.toLowerCase()));
}

function namesCaller({ principals }: PolicyStatement, caller: Caller): boolean {
  if (principals === '*') return true;
  return (principals.AWS ?? []).some(
    (principal) =>
      principal === '*' ||
      principal === caller.accountId ||
      principal === `arn:aws:iam::${caller.accountId}:root` ||
      principal === caller.roleArn ||
      principal === caller.arn,
  );
}

function meets({ conditions }: PolicyStatement, { externalId }: TrustRequest): boolean {
  for (const [operator, keys] of Object.entries(conditions)) {
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() !== 'sts:externalid') continue;
      if (externalId === undefined) return false;
      if (operator === 'StringEquals' && !values.includes(externalId)) return false;
      if (operator === 'StringLike' && !values.some((value) => wildcard(value).test(externalId))) return false;
    }
  }
  return true;
}

/** A StringLike pattern: `*` any run of characters, `?` one. */
function wildcard(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}
