// SSM Parameter Store over JSON 1.1 (`AmazonSSM`): what the functions, the
// Powertools parameters utility and `aws ssm` call.
import { createHmac, randomBytes } from 'node:crypto';
import {
  optionalBoolean,
  optionalList,
  optionalNumber,
  optionalString,
  page,
  requiredString,
  requiredStringList,
} from '../aws/input.ts';
import { AwsApiError, type AwsServiceEmulator } from '../aws/service.ts';
import type { ParameterStore, ParameterType, ParameterVersion } from './parameter-store.ts';

const PARAMETER_TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];

export interface SsmEmulatorOptions {
  store: ParameterStore;
  region: string;
  accountId: string;
}

export function createSsmEmulator({ store, region, accountId }: SsmEmulatorOptions): AwsServiceEmulator {
  const arnOf = (name: string) =>
    `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;

  /** A parameter as the API shows it; a SecureString read without decryption shows ciphertext, never the value. */
  const shown = (parameter: ParameterVersion & { selector?: string }, decrypt: boolean) => ({
    Name: parameter.name,
    Type: parameter.type,
    Value: parameter.type === 'SecureString' && !decrypt ? ciphertext(parameter) : parameter.value,
    Version: parameter.version,
    ...(parameter.selector ? { Selector: parameter.selector } : {}),
    LastModifiedDate: parameter.lastModifiedDate,
    ARN: arnOf(parameter.name),
    DataType: parameter.dataType,
  });

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    PutParameter(input) {
      const type = optionalString(input, 'Type');
      if (type !== undefined && !PARAMETER_TYPES.includes(type as ParameterType)) {
        throw new AwsApiError('UnsupportedParameterType', `Parameter type ${type} is not supported.`);
      }
      const overwrite = optionalBoolean(input, 'Overwrite') ?? false;
      if (overwrite && optionalList(input, 'Tags')?.length) {
        throw new AwsApiError('ValidationException', "Invalid request: tags and overwrite can't be used together.");
      }
      const stored = store.put({
        name: requiredString(input, 'Name'),
        value: requiredString(input, 'Value'),
        type: type as ParameterType | undefined,
        overwrite,
        description: optionalString(input, 'Description'),
        keyId: optionalString(input, 'KeyId'),
        allowedPattern: optionalString(input, 'AllowedPattern'),
        tier: optionalString(input, 'Tier'),
        dataType: optionalString(input, 'DataType'),
      });
      return { Version: stored.version, Tier: stored.tier };
    },
    GetParameter(input) {
      const parameter = store.get(requiredString(input, 'Name'));
      return { Parameter: shown(parameter, optionalBoolean(input, 'WithDecryption') ?? false) };
    },
    GetParameters(input) {
      const names = requiredStringList(input, 'Names');
      if (names.length < 1 || names.length > 10) {
        throw new AwsApiError('ValidationException', 'GetParameters takes between 1 and 10 names.');
      }
      const decrypt = optionalBoolean(input, 'WithDecryption') ?? false;
      const found: ReturnType<typeof shown>[] = [];
      const invalid: string[] = [];
      for (const name of new Set(names)) {
        try {
          found.push(shown(store.get(name), decrypt));
        } catch (error) {
          if (!(error instanceof AwsApiError)) throw error;
          invalid.push(name);
        }
      }
      return { Parameters: found, InvalidParameters: invalid };
    },
    GetParametersByPath(input) {
      const decrypt = optionalBoolean(input, 'WithDecryption') ?? false;
      let parameters = store.byPath(requiredString(input, 'Path'), optionalBoolean(input, 'Recursive') ?? false);
      for (const filter of optionalList(input, 'ParameterFilters') ?? []) {
        if (filter.Key === 'Type' && Array.isArray(filter.Values)) {
          const values = filter.Values as unknown[];
          parameters = parameters.filter((parameter) => values.includes(parameter.type));
        }
      }
      const { items, nextToken } = page(
        parameters,
        optionalString(input, 'NextToken'),
        optionalNumber(input, 'MaxResults') ?? 10,
        'InvalidNextToken',
      );
      return { Parameters: items.map((parameter) => shown(parameter, decrypt)), NextToken: nextToken };
    },
    GetParameterHistory(input) {
      const decrypt = optionalBoolean(input, 'WithDecryption') ?? false;
      const { items, nextToken } = page(
        store.history(requiredString(input, 'Name')),
        optionalString(input, 'NextToken'),
        optionalNumber(input, 'MaxResults') ?? 50,
        'InvalidNextToken',
      );
      return {
        Parameters: items.map((parameter) => ({
          Name: parameter.name,
          Type: parameter.type,
          KeyId: parameter.keyId,
          LastModifiedDate: parameter.lastModifiedDate,
          LastModifiedUser: `arn:aws:iam::${accountId}:user/sandbox`,
          Description: parameter.description,
          Value: parameter.type === 'SecureString' && !decrypt ? ciphertext(parameter) : parameter.value,
          AllowedPattern: parameter.allowedPattern,
          Version: parameter.version,
          Labels: parameter.labels,
          Tier: parameter.tier,
          Policies: [],
          DataType: parameter.dataType,
        })),
        NextToken: nextToken,
      };
    },
    LabelParameterVersion(input) {
      const { invalid, version } = store.label(
        requiredString(input, 'Name'),
        optionalNumber(input, 'ParameterVersion'),
        requiredStringList(input, 'Labels'),
      );
      return { InvalidLabels: invalid, ParameterVersion: version };
    },
    UnlabelParameterVersion(input) {
      const version = optionalNumber(input, 'ParameterVersion');
      if (version === undefined) throw new AwsApiError('ValidationException', 'ParameterVersion is required.');
      const { removed, invalid } = store.unlabel(
        requiredString(input, 'Name'),
        version,
        requiredStringList(input, 'Labels'),
      );
      return { RemovedLabels: removed, InvalidLabels: invalid };
    },
    DeleteParameter(input) {
      store.delete(requiredString(input, 'Name'));
      return {};
    },
    DeleteParameters(input) {
      const deleted: string[] = [];
      const invalid: string[] = [];
      for (const name of requiredStringList(input, 'Names')) {
        if (store.has(name)) {
          store.delete(name);
          deleted.push(name);
        } else {
          invalid.push(name);
        }
      }
      return { DeletedParameters: deleted, InvalidParameters: invalid };
    },
  };

  return {
    targetPrefix: 'AmazonSSM',
    signingName: 'ssm',
    async handle(operation, input) {
      const run = operations[operation];
      if (!run) throw new AwsApiError('UnknownOperationException', `The sandbox's SSM does not support ${operation}`);
      return run(input);
    },
  };
}

// A key of this process only, so the stand-in ciphertext says nothing about the value.
const KMS_STAND_IN_KEY = randomBytes(32);

/** Stands in for the KMS ciphertext AWS shows of an undecrypted SecureString: opaque, stable, not the value. */
function ciphertext(parameter: ParameterVersion): string {
  const digest = createHmac('sha256', KMS_STAND_IN_KEY)
    .update(`${parameter.name}\0${parameter.version}\0${parameter.value}`)
    .digest();
  return `AQICAH${digest.toString('base64')}`;
}
