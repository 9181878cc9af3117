// The AWS JSON 1.0/1.1 protocols: `X-Amz-Target: <prefix>.<Operation>`, a JSON
// body in, a JSON body out. Timestamps travel as epoch seconds and blobs as base64.
import { AwsApiError } from './service.ts';

/** The parts of an `X-Amz-Target` header. */
export interface JsonTarget {
  prefix: string;
  operation: string;
}

export function parseTarget(header: string): JsonTarget | undefined {
  const dot = header.lastIndexOf('.');
  if (dot <= 0 || dot === header.length - 1) return undefined;
  return { prefix: header.slice(0, dot), operation: header.slice(dot + 1) };
}

/** The JSON content type to answer with: the request's own version, 1.1 when it named none. */
export function jsonContentType(requestContentType: string | undefined): string {
  const match = /application\/x-amz-json-1\.[01]/.exec(requestContentType ?? '');
  return match ? match[0] : 'application/x-amz-json-1.1';
}

/** Parses a JSON request body; an empty body is an empty input, anything but an object is refused. */
export function parseJsonInput(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AwsApiError('SerializationException', 'The request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsApiError('SerializationException', 'The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Converts an emulator's result to what the JSON protocols carry: Dates as epoch seconds, bytes as base64. */
export function toJsonWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonWire);
  if (value !== null && typeof value === 'object') {
    const wire: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) wire[key] = toJsonWire(item);
    }
    return wire;
  }
  return value;
}

/** The JSON body of an error: `__type` is what SDKs and the CLI read the error code from. */
export function jsonErrorBody(error: AwsApiError): string {
  const details = error instanceof AwsApiErrorWithFields ? toJsonWire(error.fields) : {};
  return JSON.stringify({ ...(details as Record<string, unknown>), __type: error.code, message: error.message });
}

/** An AWS error that carries more members than a message (e.g. DynamoDB's CancellationReasons). */
export class AwsApiErrorWithFields extends AwsApiError {
  readonly fields: Record<string, unknown>;
  constructor(code: string, message: string, statusCode: number, fields: Record<string, unknown>) {
    super(code, message, statusCode);
    this.fields = fields;
  }
}
