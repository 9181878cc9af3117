import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import type { StepFunctionsModel } from './wire.ts';

/** SendTaskSuccess: resumes the waiting task with `output` (JSON). */
export function sendTaskSuccess({ tokens }: StepFunctionsModel, reader: InputReader) {
  const output = reader.string('output', { allowBlank: true });
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    throw new AwsApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
  }
  tokens.succeed(reader.string('taskToken', { allowBlank: true }), parsed);
  return {};
}

/** SendTaskFailure: fails the waiting task with an error and cause. */
export function sendTaskFailure({ tokens }: StepFunctionsModel, reader: InputReader) {
  tokens.fail(
    reader.string('taskToken', { allowBlank: true }),
    reader.optionalString('error'),
    reader.optionalString('cause'),
  );
  return {};
}

/** SendTaskHeartbeat: restarts the waiting task's heartbeat clock. */
export function sendTaskHeartbeat({ tokens }: StepFunctionsModel, reader: InputReader) {
  tokens.heartbeat(reader.string('taskToken', { allowBlank: true }));
  return {};
}
