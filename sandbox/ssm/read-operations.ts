import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import { lastModifiedUser, parameterView, type SsmModel, shownValue } from './views.ts';
import { SSM_INVALID_TOKEN } from './wire.ts';

/** GetParameter: by name, `name:version` or `name:label`. */
export function getParameter({ store, location }: SsmModel, reader: InputReader) {
  const parameter = store.get(reader.string('Name', { allowBlank: true }));
  return { Parameter: parameterView(location, parameter, reader.optionalBoolean('WithDecryption') ?? false) };
}

/** GetParameters: 1 to 10 names; those not found are listed as invalid, not an error. */
export function getParameters({ store, location }: SsmModel, reader: InputReader) {
  const names = reader.stringArray('Names', { allowEmpty: true });
  if (names.length < 1 || names.length > 10) {
    throw new AwsApiError('ValidationException', 'GetParameters takes between 1 and 10 names.');
  }
  const decrypt = reader.optionalBoolean('WithDecryption') ?? false;
  const found: ReturnType<typeof parameterView>[] = [];
  const invalid: string[] = [];
  for (const name of new Set(names)) {
    try {
      found.push(parameterView(location, store.get(name), decrypt));
    } catch (error) {
      if (!(error instanceof AwsApiError)) throw error;
      invalid.push(name);
    }
  }
  return { Parameters: found, InvalidParameters: invalid };
}

/** GetParametersByPath: one level or recursive, a Type filter, 10 a page by default. */
export function getParametersByPath({ store, location }: SsmModel, reader: InputReader) {
  const decrypt = reader.optionalBoolean('WithDecryption') ?? false;
  let parameters = store.byPath(
    reader.string('Path', { allowBlank: true }),
    reader.optionalBoolean('Recursive') ?? false,
  );
  for (const filter of reader.objects('ParameterFilters')) {
    const values = filter.raw('Values');
    if (filter.raw('Key') === 'Type' && Array.isArray(values)) {
      parameters = parameters.filter((parameter) => values.includes(parameter.type));
    }
  }
  const { items, nextToken } = page(
    parameters,
    reader.optionalString('NextToken'),
    reader.optionalNumber('MaxResults') ?? 10,
    SSM_INVALID_TOKEN,
  );
  return { Parameters: items.map((parameter) => parameterView(location, parameter, decrypt)), NextToken: nextToken };
}

/** GetParameterHistory: every version, oldest first, 50 a page by default. */
export function getParameterHistory({ store, location }: SsmModel, reader: InputReader) {
  const decrypt = reader.optionalBoolean('WithDecryption') ?? false;
  const { items, nextToken } = page(
    store.history(reader.string('Name', { allowBlank: true })),
    reader.optionalString('NextToken'),
    reader.optionalInteger('MaxResults', 1, 50) ?? 50,
    SSM_INVALID_TOKEN,
  );
  return {
    Parameters: items.map((parameter) => ({
      Name: parameter.name,
      Type: parameter.type,
      KeyId: parameter.keyId,
      LastModifiedDate: parameter.lastModifiedDate,
      LastModifiedUser: lastModifiedUser(location),
      Description: parameter.description,
      Value: shownValue(parameter, decrypt),
      AllowedPattern: parameter.allowedPattern,
      Version: parameter.version,
      Labels: parameter.labels,
      Tier: parameter.tier,
      Policies: [],
      DataType: parameter.dataType,
    })),
    NextToken: nextToken,
  };
}
