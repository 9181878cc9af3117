import { AwsApiError } from '../aws/service.ts';
import { clone } from './clone.ts';

// Reads an operation's decoded input without trusting its shape. The endpoint
// hands over whatever JSON (or Query) the client sent; a field of the wrong type
// gets the service's own validation error, never a crash inside the emulator.
// Shared by the ECS, ECR and CloudWatch emulators, which differ in error codes.

/** The error codes one service uses for bad and for missing input. */
export interface InputErrors {
  invalid: string;
  missing: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.prototype.toString.call(value) === '[object Object]';

/** A typed view of one input object (or nested object), naming fields by their path in errors. */
export class InputReader {
  readonly #input: Record<string, unknown>;
  readonly #errors: InputErrors;
  readonly #path: string;

  constructor(input: unknown, errors: InputErrors, path = '') {
    if (!isRecord(input)) throw new AwsApiError(errors.invalid, `${path || 'The request'} must be an object.`);
    this.#input = input;
    this.#errors = errors;
    this.#path = path;
  }

  /** The field's path as the caller wrote it, e.g. `containerDefinitions[0].image`. */
  path(name = ''): string {
    if (name === '') return this.#path;
    return this.#path ? `${this.#path}.${name}` : name;
  }

  fail(message: string): never {
    throw new AwsApiError(this.#errors.invalid, message);
  }

  has(name: string): boolean {
    return this.#input[name] !== undefined && this.#input[name] !== null;
  }

  raw(name: string): unknown {
    return this.#input[name] ?? undefined;
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined || value === '') {
      throw new AwsApiError(this.#errors.missing, `${this.path(name)} is required and can not be blank.`);
    }
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(`${this.path(name)} must be a string.`);
    return value;
  }

  optionalNumber(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    // The Query protocol carries every scalar as text.
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) this.fail(`${this.path(name)} must be a number.`);
    return number;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = this.optionalNumber(name);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(`${this.path(name)} must be an integer from ${min} to ${max}.`);
    }
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    if (typeof value !== 'boolean') this.fail(`${this.path(name)} must be a boolean.`);
    return value;
  }

  /** A timestamp as the protocols carry it: a Date, epoch seconds, or an ISO 8601 string. */
  optionalDate(name: string): Date | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const date =
      Object.prototype.toString.call(value) === '[object Date]'
        ? new Date((value as Date).getTime())
        : typeof value === 'number'
          ? new Date(value * 1000)
          : typeof value === 'string'
            ? new Date(/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value)
            : undefined;
    if (date === undefined || Number.isNaN(date.getTime())) this.fail(`${this.path(name)} must be a timestamp.`);
    return date;
  }

  date(name: string): Date {
    const value = this.optionalDate(name);
    if (value === undefined)
      throw new AwsApiError(this.#errors.missing, `The parameter ${this.path(name)} is required.`);
    return value;
  }

  optionalStringArray(name: string): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      this.fail(`${this.path(name)} must be a list of strings.`);
    }
    return value;
  }

  stringArray(name: string): string[] {
    const value = this.optionalStringArray(name);
    if (value === undefined || value.length === 0) {
      throw new AwsApiError(this.#errors.missing, `${this.path(name)} is required and can not be empty.`);
    }
    return value;
  }

  optionalObject(name: string): InputReader | undefined {
    const value = this.raw(name);
    return value === undefined ? undefined : new InputReader(value, this.#errors, this.path(name));
  }

  /** A list of objects; an absent list is empty. */
  objects(name: string): InputReader[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(`${this.path(name)} must be a list.`);
    return value.map((item, index) => new InputReader(item, this.#errors, `${this.path(name)}[${index}]`));
  }

  /** The whole object, for echoing fields the emulator stores but does not interpret. */
  value(): Record<string, unknown> {
    return clone(this.#input);
  }
}

/** Key-value tags in ECS's and ECR's `{ key, value }` shape. */
export function readTags(reader: InputReader, name = 'tags'): { key: string; value: string }[] {
  const tags = reader
    .objects(name)
    .map((tag) => ({ key: tag.string('key'), value: tag.optionalString('value') ?? '' }));
  if (tags.length > 50) reader.fail(`${reader.path(name)} can have at most 50 tags.`);
  return tags;
}
