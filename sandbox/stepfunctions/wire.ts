import type { InputReader } from '../aws/input-reader.ts';
import { constraintWording } from '../aws/input-wording.ts';
import type { ServiceWire } from '../aws/operation-table.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import type { StateMachineRunner } from './runner.ts';
import type { TaskTokens } from './task-tokens.ts';

/** How Step Functions is reached (JSON 1.0, X-Amz-Target AWSStepFunctions.<Operation>) and its input errors. */
export const STEP_FUNCTIONS_WIRE: ServiceWire = {
  name: 'Step Functions',
  targetPrefix: 'AWSStepFunctions',
  signingName: 'states',
  errors: { invalid: 'ValidationException', missing: 'ValidationException', wording: constraintWording },
};

/** What the Step Functions operations act on. */
export interface StepFunctionsModel {
  runner: StateMachineRunner;
  tokens: TaskTokens;
}

/** A page of `items` as the List/Get* operations answer: maxResults 0 (the default) to 1000, 0 meaning 100. */
export function pageOf<T>(items: readonly T[], reader: InputReader): { items: T[]; nextToken?: string } {
  const requested = reader.optionalNumber('maxResults') ?? 0;
  if (requested < 0 || requested > 1000) {
    throw new AwsApiError('ValidationException', 'maxResults must be between 0 and 1000');
  }
  return page(items, reader.optionalString('nextToken'), requested === 0 ? 100 : requested, {
    code: 'InvalidToken',
    message: 'The nextToken is not one this service issued',
  });
}
