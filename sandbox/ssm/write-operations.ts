import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import type { ParameterType } from './parameter-store.ts';
import type { SsmModel } from './views.ts';

const PARAMETER_TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];

/** PutParameter: a new parameter, or a new version with Overwrite (tags only on create). */
export function putParameter({ store }: SsmModel, reader: InputReader) {
  const type = reader.optionalString('Type');
  if (type !== undefined && !PARAMETER_TYPES.includes(type as ParameterType)) {
    throw new AwsApiError('UnsupportedParameterType', `Parameter type ${type} is not supported.`);
  }
  const overwrite = reader.optionalBoolean('Overwrite') ?? false;
  if (overwrite && reader.objects('Tags').length > 0) {
    throw new AwsApiError('ValidationException', "Invalid request: tags and overwrite can't be used together.");
  }
  const stored = store.put({
    name: reader.string('Name', { allowBlank: true }),
    value: reader.string('Value', { allowBlank: true }),
    type: type as ParameterType | undefined,
    overwrite,
    description: reader.optionalString('Description'),
    keyId: reader.optionalString('KeyId'),
    allowedPattern: reader.optionalString('AllowedPattern'),
    tier: reader.optionalString('Tier'),
    dataType: reader.optionalString('DataType'),
  });
  return { Version: stored.version, Tier: stored.tier };
}

/** LabelParameterVersion: labels the given (default: latest) version; labels SSM refuses come back as invalid. */
export function labelParameterVersion({ store }: SsmModel, reader: InputReader) {
  const { invalid, version } = store.label(
    reader.string('Name', { allowBlank: true }),
    reader.optionalNumber('ParameterVersion'),
    labelList(reader),
  );
  return { InvalidLabels: invalid, ParameterVersion: version };
}

/** UnlabelParameterVersion: removes labels from one version. */
export function unlabelParameterVersion({ store }: SsmModel, reader: InputReader) {
  const version = reader.optionalNumber('ParameterVersion');
  if (version === undefined) throw new AwsApiError('ValidationException', 'ParameterVersion is required.');
  const { removed, invalid } = store.unlabel(reader.string('Name', { allowBlank: true }), version, labelList(reader));
  return { RemovedLabels: removed, InvalidLabels: invalid };
}

/** DeleteParameter: every version. */
export function deleteParameter({ store }: SsmModel, reader: InputReader) {
  store.delete(reader.string('Name', { allowBlank: true }));
  return {};
}

/** DeleteParameters: those not found are listed as invalid, not an error. */
export function deleteParameters({ store }: SsmModel, reader: InputReader) {
  const deleted: string[] = [];
  const invalid: string[] = [];
  for (const name of reader.stringArray('Names', { allowEmpty: true })) {
    if (store.has(name)) {
      store.delete(name);
      deleted.push(name);
    } else {
      invalid.push(name);
    }
  }
  return { DeletedParameters: deleted, InvalidParameters: invalid };
}

/** `Labels` as both label operations take it: 1 to 10 of them. */
function labelList(reader: InputReader): string[] {
  const labels = reader.stringArray('Labels', { allowEmpty: true });
  if (labels.length < 1 || labels.length > 10) {
    reader.fail(
      `1 validation error detected: Value '[${labels.join(', ')}]' at 'labels' failed to satisfy constraint: Member must have length ${labels.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
    );
  }
  return labels;
}
