import type { InputReader } from '../aws/input-reader.ts';
import { PUT_EVENTS_LIMIT_BYTES, putEventsEntryBytes } from '../aws/payload-limits.ts';
import { AwsApiError } from '../aws/service.ts';
import { newEvent } from './bus.ts';
import { type EventBridgeModel, namedBus } from './wire.ts';

// PutEvents onto the default bus or a declared one, with per-entry results as AWS gives them: a
// bad entry fails alone and is counted in FailedEntryCount.

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const failure = (ErrorCode: string, ErrorMessage: string): EntryResult => ({ ErrorCode, ErrorMessage });

/** PutEvents: 1 to 10 entries, each published or failed on its own. */
export function putEvents(model: EventBridgeModel, reader: InputReader) {
  const entries = reader.objects('Entries');
  if (entries.length < 1 || entries.length > 10) {
    throw new AwsApiError('ValidationException', 'PutEvents takes between 1 and 10 entries.');
  }
  const bytes = entries.reduce((sum, entry) => sum + putEventsEntryBytes(entry.value()), 0);
  if (bytes > PUT_EVENTS_LIMIT_BYTES) {
    // AWS answers 413 with an empty body and puts nothing.
    throw new AwsApiError(
      'RequestEntityTooLarge',
      `The entries' total size, ${bytes} bytes, is over the limit of ${PUT_EVENTS_LIMIT_BYTES} bytes.`,
      413,
    );
  }
  const results = entries.map((entry) => putEntry(model, entry));
  return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
}

function putEntry({ bus, location }: EventBridgeModel, entry: InputReader): EntryResult {
  const source = entry.raw('Source');
  const detailType = entry.raw('DetailType');
  const detailText = entry.raw('Detail');
  if (typeof source !== 'string' || source === '') {
    return failure('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
  }
  if (typeof detailType !== 'string' || detailType === '') {
    return failure('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
  }
  if (typeof detailText !== 'string') {
    return failure('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
  }
  const busName = entry.raw('EventBusName');
  const onBus = namedBus({ bus, location }, busName);
  if (onBus === undefined) return failure('ResourceNotFoundException', `Event bus ${String(busName)} does not exist.`);
  // Only AWS services may send events whose source starts with "aws.".
  if (source.startsWith('aws.')) return failure('NotAuthorizedForSourceException', 'Not authorized for the source.');
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  const listed = entry.raw('Resources');
  const resources = Array.isArray(listed) ? listed.filter((item) => typeof item === 'string') : [];
  const time = entry.raw('Time');
  const at = typeof time === 'number' ? new Date(time * 1000) : new Date();
  const event = newEvent(
    { source, 'detail-type': detailType, detail, resources, time: at.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    location,
  );
  bus.publish(event, onBus);
  return { EventId: event.id };
}
