// The AWS Query protocol (form-encoded `Action=...&Version=...`, XML answers),
// which the AWS CLI v2 still uses for CloudWatch (`monitoring`), and every
// client for STS and IAM. Query carries
// no types, so both directions follow the operation's Smithy schema, taken from
// the AWS SDK v3 client of that service: the emulator receives exactly the
// input the JSON protocol would have carried (numbers, booleans, timestamps as
// epoch seconds), and its result is written as the XML the SDKs and the CLI parse.
import { NormalizedSchema } from '@smithy/core/schema';
import type { StaticOperationSchema } from '@smithy/types';
import { AwsApiError } from './service.ts';
import { element, escapeXml } from './xml.ts';

/** A service reachable over Query: its XML namespace and the SDK module holding its schemas. */
interface QueryService {
  xmlNamespace: string;
  schemas: () => Promise<Record<string, unknown>>;
}

/** Query services by SigV4 signing name. Only those whose clients we use send Query. */
const QUERY_SERVICES: Record<string, QueryService> = {
  monitoring: {
    xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
    schemas: () => import('@aws-sdk/client-cloudwatch') as Promise<Record<string, unknown>>,
  },
  sts: {
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    schemas: () => import('@aws-sdk/client-sts') as Promise<Record<string, unknown>>,
  },
  iam: {
    xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
    schemas: () => import('@aws-sdk/client-iam') as Promise<Record<string, unknown>>,
  },
};

/** One operation of a Query service, ready to decode its input and encode its output. */
export interface QueryOperation {
  action: string;
  xmlNamespace: string;
  input: NormalizedSchema;
  output: NormalizedSchema;
}

/** The XML namespace errors of a signing name are written in (a neutral one for unknown services). */
export function queryNamespace(signingName: string | undefined): string {
  return (signingName && QUERY_SERVICES[signingName]?.xmlNamespace) || 'https://sandbox.local/doc/';
}

/** Finds the schema of `action` for the service signing as `signingName`, or throws the Query error AWS gives. */
export async function queryOperation(signingName: string, action: string): Promise<QueryOperation> {
  const service = QUERY_SERVICES[signingName];
  if (!service)
    throw new AwsApiError('InvalidAction', `The sandbox does not serve ${signingName} over the Query protocol`);
  const schema = (await service.schemas())[`${action}$`];
  if (!isOperationSchema(schema)) throw new AwsApiError('InvalidAction', `Could not find operation ${action}`);
  const [, , , , input, output] = schema;
  return {
    action,
    xmlNamespace: service.xmlNamespace,
    input: NormalizedSchema.of(input),
    output: NormalizedSchema.of(output),
  };
}

/**
 * The code a Query client knows an error by. Services that moved from Query to
 * JSON name errors differently in each (CloudWatch's JSON
 * `InvalidParameterValueException` is Query's `InvalidParameterValue`); the
 * SDK's error schema says which (its `awsQueryError` trait).
 */
export async function queryErrorCode(signingName: string | undefined, code: string): Promise<string> {
  const service = signingName ? QUERY_SERVICES[signingName] : undefined;
  if (!service) return code;
  const schema = (await service.schemas())[`${code}$`];
  if (!Array.isArray(schema)) return code;
  const queryError = NormalizedSchema.of(schema as Parameters<typeof NormalizedSchema.of>[0]).getMergedTraits()
    .awsQueryError;
  return Array.isArray(queryError) && typeof queryError[0] === 'string' ? queryError[0] : code;
}

function isOperationSchema(value: unknown): value is StaticOperationSchema {
  // 9 is the static schema id of an operation.
  return Array.isArray(value) && value[0] === 9 && value.length === 6;
}

type FormTree = { value?: string; children: Map<string, FormTree> };

/** Decodes the form parameters of a Query request into the JSON-protocol shape of its input. */
export function decodeQueryInput(params: URLSearchParams, schema: NormalizedSchema): Record<string, unknown> {
  const root: FormTree = { children: new Map() };
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    let node = root;
    for (const part of key.split('.')) {
      let child = node.children.get(part);
      if (!child) {
        child = { children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    node.value = value;
  }
  const decoded = readNode(root, schema);
  return decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded)
    ? (decoded as Record<string, unknown>)
    : {};
}

function readNode(node: FormTree, schema: NormalizedSchema): unknown {
  if (schema.isStructSchema()) {
    const result: Record<string, unknown> = {};
    for (const [name, member] of schema.structIterator()) {
      const child = node.children.get(member.getMergedTraits().xmlName ?? name);
      if (child) result[name] = readNode(child, member);
    }
    return result;
  }
  if (schema.isListSchema()) {
    const itemSchema = schema.getValueSchema();
    const items = schema.getMergedTraits().xmlFlattened
      ? node
      : node.children.get(itemSchema.getMergedTraits().xmlName ?? 'member');
    return indexed(items).map((item) => readNode(item, itemSchema));
  }
  if (schema.isMapSchema()) {
    const keyName = schema.getKeySchema().getMergedTraits().xmlName ?? 'key';
    const valueName = schema.getValueSchema().getMergedTraits().xmlName ?? 'value';
    const entries = schema.getMergedTraits().xmlFlattened ? node : node.children.get('entry');
    const result: Record<string, unknown> = {};
    for (const entry of indexed(entries)) {
      const key = entry.children.get(keyName)?.value;
      const value = entry.children.get(valueName);
      if (key !== undefined && value) result[key] = readNode(value, schema.getValueSchema());
    }
    return result;
  }
  return readScalar(node.value ?? '', schema);
}

/** The children `1`, `2`, ... of a list or map node, in index order. */
function indexed(node: FormTree | undefined): FormTree[] {
  if (!node) return [];
  return [...node.children.entries()]
    .filter(([key]) => /^\d+$/.test(key))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, child]) => child);
}

function readScalar(text: string, schema: NormalizedSchema): unknown {
  if (schema.isBooleanSchema()) return text === 'true';
  if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) return Number(text);
  if (schema.isTimestampSchema()) {
    // The JSON protocols carry timestamps as epoch seconds; Query sends ISO 8601 (or epoch seconds).
    const seconds = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text) / 1000;
    if (Number.isNaN(seconds)) throw new AwsApiError('InvalidParameterValue', `"${text}" is not a timestamp`);
    return seconds;
  }
  return text;
}

/** The XML body of a successful Query response. */
export function encodeQueryOutput(operation: QueryOperation, result: unknown, requestId: string): string {
  const { action, xmlNamespace, output } = operation;
  const body =
    output.isStructSchema() && result !== null && typeof result === 'object'
      ? element(`${action}Result`, writeMembers(result as Record<string, unknown>, output))
      : '';
  const metadata = element('ResponseMetadata', element('RequestId', requestId));
  return `<${action}Response xmlns="${xmlNamespace}">${body}${metadata}</${action}Response>`;
}

/** The XML body of a Query error; `Sender` for client errors, `Receiver` for server errors. */
export function encodeQueryError(error: AwsApiError, code: string, xmlNamespace: string, requestId: string): string {
  const type = error.statusCode >= 500 ? 'Receiver' : 'Sender';
  const detail =
    element('Type', type) + element('Code', escapeXml(code)) + element('Message', escapeXml(error.message));
  return `<ErrorResponse xmlns="${xmlNamespace}">${element('Error', detail)}${element('RequestId', requestId)}</ErrorResponse>`;
}

function writeMembers(value: Record<string, unknown>, schema: NormalizedSchema): string {
  let xml = '';
  for (const [name, member] of schema.structIterator()) {
    const memberValue = value[name];
    if (memberValue === undefined || memberValue === null) continue;
    xml += writeValue(member.getMemberTraits().xmlName ?? name, memberValue, member);
  }
  return xml;
}

function writeValue(name: string, value: unknown, schema: NormalizedSchema): string {
  if (schema.isStructSchema()) {
    return typeof value === 'object' && value !== null
      ? element(name, writeMembers(value as Record<string, unknown>, schema))
      : '';
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return '';
    const itemSchema = schema.getValueSchema();
    const items = value.filter((item) => item !== undefined && item !== null);
    if (schema.getMergedTraits().xmlFlattened) return items.map((item) => writeValue(name, item, itemSchema)).join('');
    const itemName = itemSchema.getMergedTraits().xmlName ?? 'member';
    return element(name, items.map((item) => writeValue(itemName, item, itemSchema)).join(''));
  }
  if (schema.isMapSchema()) {
    if (typeof value !== 'object' || value === null) return '';
    const keyName = schema.getKeySchema().getMergedTraits().xmlName ?? 'key';
    const valueName = schema.getValueSchema().getMergedTraits().xmlName ?? 'value';
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => element(keyName, escapeXml(key)) + writeValue(valueName, item, schema.getValueSchema()),
    );
    if (schema.getMergedTraits().xmlFlattened) return entries.map((entry) => element(name, entry)).join('');
    return element(name, entries.map((entry) => element('entry', entry)).join(''));
  }
  return element(name, escapeXml(scalarText(value, schema)));
}

function scalarText(value: unknown, schema: NormalizedSchema): string {
  if (schema.isTimestampSchema()) {
    const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : String(value));
    return date.toISOString();
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return String(value);
}
