import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import type { ParameterVersion } from './parameter-store.ts';
import { lastModifiedUser, parameterArn, type SsmModel } from './views.ts';
import { SSM_INVALID_TOKEN } from './wire.ts';

// DescribeParameters: every parameter's metadata (never its value), filtered
// by the ParameterFilters keys Name (Equals, BeginsWith, Contains), Type,
// KeyId, Tier, DataType (Equals) and Path (OneLevel, Recursive), or by the
// older Filters (Name, Type, KeyId; Equals). 1 to 50 a page, 10 by default.

type Match = (parameter: ParameterVersion) => boolean;

const OPTIONS: Record<string, readonly string[]> = {
  Name: ['Equals', 'BeginsWith', 'Contains'],
  Type: ['Equals'],
  KeyId: ['Equals'],
  Tier: ['Equals'],
  DataType: ['Equals'],
  Path: ['OneLevel', 'Recursive'],
};
const OLD_FILTER_KEYS = ['Name', 'Type', 'KeyId'];
const TYPES = ['String', 'StringList', 'SecureString'];

/** DescribeParameters: metadata of the parameters every filter matches, by name, paged. */
export function describeParameters({ store, location }: SsmModel, reader: InputReader) {
  const filters = reader.objects('Filters');
  const parameterFilters = reader.objects('ParameterFilters');
  if (filters.length > 0 && parameterFilters.length > 0) {
    throw new AwsApiError('ValidationException', 'You can use either Filters or ParameterFilters in a single request.');
  }
  const maxResults = reader.optionalInteger('MaxResults', 1, 50) ?? 10;
  const matches = [...filters.map(oldFilter), ...parameterFilters.map(parameterFilter)];
  const found = store.latest().filter((parameter) => matches.every((match) => match(parameter)));
  const { items, nextToken } = page(found, reader.optionalString('NextToken'), maxResults, SSM_INVALID_TOKEN);
  return {
    Parameters: items.map((parameter) => ({
      Name: parameter.name,
      ARN: parameterArn(location, parameter.name),
      Type: parameter.type,
      ...(parameter.keyId === undefined ? {} : { KeyId: parameter.keyId }),
      LastModifiedDate: parameter.lastModifiedDate,
      LastModifiedUser: lastModifiedUser(location),
      ...(parameter.description === undefined ? {} : { Description: parameter.description }),
      ...(parameter.allowedPattern === undefined ? {} : { AllowedPattern: parameter.allowedPattern }),
      Version: parameter.version,
      Tier: parameter.tier,
      Policies: [],
      DataType: parameter.dataType,
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

function oldFilter(filter: InputReader): Match {
  const key = filter.string('Key');
  if (!OLD_FILTER_KEYS.includes(key)) {
    throw new AwsApiError(
      'InvalidFilterKey',
      `The filter key ${key} is not valid. Valid keys: ${OLD_FILTER_KEYS.join(', ')}.`,
    );
  }
  return matcher(key, 'Equals', filterValues(filter));
}

function parameterFilter(filter: InputReader): Match {
  const key = filter.string('Key');
  const options = OPTIONS[key];
  if (!options) {
    throw new AwsApiError(
      'InvalidFilterKey',
      `The filter key ${key} is not supported by the sandbox. Valid keys: ${Object.keys(OPTIONS).join(', ')}.`,
    );
  }
  const option = filter.optionalString('Option') ?? options[0] ?? 'Equals';
  if (!options.includes(option)) {
    throw new AwsApiError(
      'InvalidFilterOption',
      `The filter option ${option} is not valid for key ${key}. Valid options: ${options.join(', ')}.`,
    );
  }
  return matcher(key, option, filterValues(filter));
}

function filterValues(filter: InputReader): string[] {
  const values = filter.stringArray('Values');
  if (values.length > 50) filter.fail('A filter can have at most 50 values.');
  return values;
}

function matcher(key: string, option: string, values: string[]): Match {
  if (key === 'Type') {
    const unknown = values.find((value) => !TYPES.includes(value));
    if (unknown !== undefined) {
      throw new AwsApiError(
        'InvalidFilterValue',
        `The following filter value is not valid: ${unknown}. Valid values include: [${TYPES.join(', ')}].`,
      );
    }
  }
  if (key === 'Path') {
    const unrooted = values.find((value) => !value.startsWith('/'));
    if (unrooted !== undefined) {
      throw new AwsApiError('InvalidFilterValue', `The filter value ${unrooted} is not valid: a path begins with /.`);
    }
    return (parameter) => values.some((path) => isUnder(parameter.name, path, option === 'Recursive'));
  }
  const field = (parameter: ParameterVersion): string | undefined =>
    ({
      Name: parameter.name,
      Type: parameter.type,
      KeyId: parameter.keyId,
      Tier: parameter.tier,
      DataType: parameter.dataType,
    })[key];
  const test =
    option === 'BeginsWith'
      ? (actual: string, value: string) => actual.startsWith(value)
      : option === 'Contains'
        ? (actual: string, value: string) => actual.includes(value)
        : (actual: string, value: string) => actual === value;
  return (parameter) => {
    const actual = field(parameter);
    return actual !== undefined && values.some((value) => test(actual, value));
  };
}

function isUnder(name: string, path: string, recursive: boolean): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return name.startsWith(prefix) && (recursive || !name.slice(prefix.length).includes('/'));
}
