// Reading an operation's input the way AWS validates it: a missing required
// member or a member of the wrong type is a ValidationException naming it.
import { AwsApiError } from './service.ts';

type Input = Record<string, unknown>;

function invalid(member: string, constraint: string, value: unknown): AwsApiError {
  const shown = value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  const field = member.charAt(0).toLowerCase() + member.slice(1);
  return new AwsApiError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function requiredString(input: Input, member: string): string {
  const value = input[member];
  if (typeof value !== 'string') throw invalid(member, 'Member must not be null', value);
  return value;
}

export function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(member, 'Member must be a string', value);
  return value;
}

export function optionalNumber(input: Input, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw invalid(member, 'Member must be a number', value);
  return value;
}

export function optionalBoolean(input: Input, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(member, 'Member must be a boolean', value);
  return value;
}

export function requiredStringList(input: Input, member: string): string[] {
  const value = input[member];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalid(member, 'Member must be a list of strings', value);
  }
  return value as string[];
}

export function optionalList(input: Input, member: string): Input[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => item === null || typeof item !== 'object')) {
    throw invalid(member, 'Member must be a list of structures', value);
  }
  return value as Input[];
}

/** A page of `items` from an opaque NextToken (an offset), as the List/Get*-by-page APIs answer. */
export function page<T>(
  items: readonly T[],
  nextToken: string | undefined,
  maxResults: number,
  invalidTokenCode = 'InvalidToken',
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) {
      throw new AwsApiError(invalidTokenCode, 'The nextToken is not one this service issued');
    }
  }
  const end = start + maxResults;
  const more = end < items.length;
  return {
    items: items.slice(start, end),
    ...(more ? { nextToken: Buffer.from(String(end), 'utf8').toString('base64url') } : {}),
  };
}
