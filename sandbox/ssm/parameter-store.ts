// SSM Parameter Store's data model with the rules rotation depends on: every
// overwrite is a new version (100 kept; a labelled oldest version blocks new
// writes), labels are unique per parameter and move between versions, at most
// 10 per version, and may not start with `aws`, `ssm` or a digit.
import { AwsApiError } from '../aws/service.ts';

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface ParameterVersion {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
  labels: string[];
  lastModifiedDate: Date;
  description?: string;
  keyId?: string;
  allowedPattern?: string;
  tier: string;
  dataType: string;
}

export interface PutParameterRequest {
  name: string;
  value: string;
  type?: ParameterType;
  overwrite: boolean;
  description?: string;
  keyId?: string;
  allowedPattern?: string;
  tier?: string;
  dataType?: string;
}

const MAX_VERSIONS = 100;
const MAX_LABELS_PER_VERSION = 10;
const NAME = /^[a-zA-Z0-9_.\-/]{1,2048}$/;
const LABEL = /^[a-zA-Z0-9_.-]{1,100}$/;

const notFound = (name: string) => new AwsApiError('ParameterNotFound', `Parameter ${name} not found.`);

/** Whether SSM refuses a label (bad characters, reserved prefix, leading digit). */
function labelProblem(label: string): boolean {
  return !LABEL.test(label) || /^(aws|ssm)/i.test(label) || /^\d/.test(label);
}

export class ParameterStore {
  readonly #parameters = new Map<string, ParameterVersion[]>();

  put(request: PutParameterRequest): ParameterVersion {
    validateName(request.name);
    const versions = this.#parameters.get(request.name);
    const latest = versions?.at(-1);
    if (latest && !request.overwrite) {
      throw new AwsApiError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const type = request.type ?? latest?.type;
    if (!type)
      throw new AwsApiError('ValidationException', 'A parameter type is required when you create a parameter.');
    const tier = request.tier ?? latest?.tier ?? 'Standard';
    const limit = tier === 'Advanced' ? 8192 : 4096;
    if (request.value.length > limit) {
      throw new AwsApiError(
        'ValidationException',
        `Parameter value is longer than ${limit} characters (${tier} tier).`,
      );
    }
    const allowedPattern = request.allowedPattern ?? latest?.allowedPattern;
    if (allowedPattern !== undefined && !new RegExp(allowedPattern).test(request.value)) {
      throw new AwsApiError(
        'ParameterPatternMismatchException',
        `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
      );
    }
    const history = versions ?? [];
    if (history.length >= MAX_VERSIONS) {
      const oldest = history[0];
      if (oldest && oldest.labels.length > 0) {
        throw new AwsApiError(
          'ParameterMaxVersionLimitExceeded',
          `You attempted to create a new version of ${request.name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
        );
      }
      history.shift();
    }
    const next: ParameterVersion = {
      name: request.name,
      type,
      value: request.value,
      version: (latest?.version ?? 0) + 1,
      labels: [],
      lastModifiedDate: new Date(),
      description: request.description ?? latest?.description,
      // As in AWS, a SecureString written without KeyId (an overwrite too) is under the account's default key.
      keyId: type === 'SecureString' ? (request.keyId ?? 'alias/aws/ssm') : undefined,
      allowedPattern,
      tier,
      dataType: request.dataType ?? latest?.dataType ?? 'text',
    };
    history.push(next);
    this.#parameters.set(request.name, history);
    return next;
  }

  /** A parameter by `name`, `name:version` or `name:label`. */
  get(reference: string): ParameterVersion & { selector?: string } {
    const colon = reference.indexOf(':');
    const name = colon === -1 ? reference : reference.slice(0, colon);
    const selector = colon === -1 ? undefined : reference.slice(colon + 1);
    const versions = this.#parameters.get(name);
    if (!versions) throw notFound(reference);
    if (selector === undefined) return versions.at(-1) as ParameterVersion;
    const found = /^\d+$/.test(selector)
      ? versions.find((version) => version.version === Number(selector))
      : versions.find((version) => version.labels.includes(selector));
    if (!found) {
      throw new AwsApiError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector} of ${name}.`,
      );
    }
    return { ...found, selector: `:${selector}` };
  }

  history(name: string): ParameterVersion[] {
    const versions = this.#parameters.get(name);
    if (!versions) throw notFound(name);
    return [...versions];
  }

  /** The latest version of every parameter, by name. */
  latest(): ParameterVersion[] {
    return [...this.#parameters.values()]
      .map((versions) => versions.at(-1) as ParameterVersion)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The latest version of every parameter under `path` (direct children only unless recursive). */
  byPath(path: string, recursive: boolean): ParameterVersion[] {
    if (!path.startsWith('/'))
      throw new AwsApiError('ValidationException', 'The path must begin with a forward slash (/).');
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const found: ParameterVersion[] = [];
    for (const [name, versions] of this.#parameters) {
      if (!name.startsWith(prefix)) continue;
      if (!recursive && name.slice(prefix.length).includes('/')) continue;
      found.push(versions.at(-1) as ParameterVersion);
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Attaches labels to a version (the latest by default), moving them off other versions. */
  label(name: string, version: number | undefined, labels: string[]): { invalid: string[]; version: number } {
    const versions = this.history(name);
    const target = version === undefined ? versions.at(-1) : versions.find((item) => item.version === version);
    if (!target)
      throw new AwsApiError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${version} of ${name}.`,
      );
    const invalid = labels.filter(labelProblem);
    const valid = labels.filter((label) => !labelProblem(label));
    const after = new Set([...target.labels, ...valid]);
    if (after.size > MAX_LABELS_PER_VERSION) {
      throw new AwsApiError(
        'ParameterVersionLabelLimitExceeded',
        `A parameter version can have maximum ${MAX_LABELS_PER_VERSION} labels. Move one or more labels to another version and try again.`,
      );
    }
    for (const other of this.#parameters.get(name) ?? []) {
      if (other !== target) other.labels = other.labels.filter((label) => !valid.includes(label));
    }
    target.labels = [...after];
    return { invalid, version: target.version };
  }

  unlabel(name: string, version: number, labels: string[]): { removed: string[]; invalid: string[] } {
    const target = this.history(name).find((item) => item.version === version);
    if (!target)
      throw new AwsApiError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${version} of ${name}.`,
      );
    const removed = labels.filter((label) => target.labels.includes(label));
    target.labels = target.labels.filter((label) => !labels.includes(label));
    return { removed, invalid: labels.filter((label) => !removed.includes(label)) };
  }

  delete(name: string): void {
    if (!this.#parameters.delete(name)) throw notFound(name);
  }

  has(name: string): boolean {
    return this.#parameters.has(name);
  }
}

function validateName(name: string): void {
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (!NAME.test(name) || (name.includes('/') && !name.startsWith('/'))) {
    throw new AwsApiError(
      'ValidationException',
      `Parameter name ${name} is invalid: use letters, digits and _ . - /; a hierarchical name must begin with /.`,
    );
  }
  if (/^(aws|ssm)/i.test(bare)) {
    throw new AwsApiError(
      'ValidationException',
      `Parameter name ${name} is invalid: names can't be prefixed with "aws" or "ssm" (case-insensitive).`,
    );
  }
  if (name.split('/').length - 1 > 15) {
    throw new AwsApiError('HierarchyLevelLimitExceededException', `Parameter name ${name} has more than 15 levels.`);
  }
}
