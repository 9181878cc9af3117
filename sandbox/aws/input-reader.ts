import { clone } from './clone.ts';
import { type Problem, sentenceWording, type Wording } from './input-wording.ts';
import { AwsApiError } from './service.ts';

// Reads an operation's decoded input without trusting its shape. The endpoint
// hands over whatever JSON (or Query) the client sent; a field of the wrong type
// gets the service's own validation error, never a crash inside the emulator.
// Every emulator reads its input through this; they differ in error codes and wording.

/** The error codes (and wording) one service uses for bad and for missing input. */
export interface InputErrors {
  invalid: string;
  missing: string;
  /** Default: ECS's sentences. */
  wording?: Wording;
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
    if (!isRecord(input)) throw problem(errors, path, { expected: 'object' }, input);
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

  #problem(name: string, found: Problem): never {
    throw problem(this.#errors, this.path(name), found, this.raw(name));
  }

  has(name: string): boolean {
    return this.#input[name] !== undefined && this.#input[name] !== null;
  }

  raw(name: string): unknown {
    return this.#input[name] ?? undefined;
  }

  /** A required string; blank counts as missing unless `allowBlank` (the newer APIs leave that to their length limits). */
  string(name: string, options: { allowBlank?: boolean } = {}): string {
    const value = this.optionalString(name);
    if (value === undefined) this.#problem(name, { missing: options.allowBlank ? 'absent' : 'blank' });
    if (value === '' && !options.allowBlank) this.#problem(name, { missing: 'blank' });
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.#problem(name, { expected: 'string' });
    return value;
  }

  optionalNumber(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    // The Query protocol carries every scalar as text.
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) this.#problem(name, { expected: 'number' });
    return number;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = this.optionalNumber(name);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.#problem(name, { expected: { integerFrom: min, to: max } });
    }
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    if (typeof value !== 'boolean') this.#problem(name, { expected: 'boolean' });
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
    if (date === undefined || Number.isNaN(date.getTime())) this.#problem(name, { expected: 'timestamp' });
    return date;
  }

  date(name: string): Date {
    const value = this.optionalDate(name);
    if (value === undefined) this.#problem(name, { missing: 'absent' });
    return value;
  }

  optionalStringArray(name: string): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      this.#problem(name, { expected: 'string list' });
    }
    return value;
  }

  /** A required list of strings; an empty list counts as missing unless `allowEmpty`. */
  stringArray(name: string, options: { allowEmpty?: boolean } = {}): string[] {
    const value = this.optionalStringArray(name);
    if (value === undefined) this.#problem(name, { missing: options.allowEmpty ? 'absent' : 'empty' });
    if (value.length === 0 && !options.allowEmpty) this.#problem(name, { missing: 'empty' });
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
    if (!Array.isArray(value)) this.#problem(name, { expected: 'list' });
    return value.map((item, index) => new InputReader(item, this.#errors, `${this.path(name)}[${index}]`));
  }

  /** The whole object, for echoing fields the emulator stores but does not interpret. */
  value(): Record<string, unknown> {
    return clone(this.#input);
  }
}

function problem(errors: InputErrors, path: string, found: Problem, value: unknown): AwsApiError {
  const code = 'missing' in found ? errors.missing : errors.invalid;
  return new AwsApiError(code, (errors.wording ?? sentenceWording)(path, found, value));
}
