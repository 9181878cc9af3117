// The contract between the sandbox's AWS-compatible endpoint and the services
// it emulates. The endpoint decodes each request (JSON 1.0/1.1 by X-Amz-Target,
// Query/XML by Action) into an operation name and a plain input object, calls
// the service with the request's context (its account, region and caller:
// request-context.ts), and encodes the result or the error in that protocol.
import type { RequestContext } from './request-context.ts';

/** An AWS error as the service would return it (e.g. ClientException, 400). */
export class AwsApiError extends Error {
  override readonly name = 'AwsApiError';
  /** The AWS error code, e.g. `ServiceNotFoundException`. */
  readonly code: string;
  readonly statusCode: number;
  constructor(code: string, message: string, statusCode = 400) {
    super(message);
    this.code = code;
    this.statusCode = statusCode;
  }
}

/**
 * Thrown by an emulator (the fault injector) after an operation took effect
 * when its answer is to be lost: the endpoint drops the connection without
 * answering, as a network or a crashed front end would.
 */
export class AnswerLostError extends Error {
  override readonly name = 'AnswerLostError';
}

/** One emulated AWS service. */
export interface AwsServiceEmulator {
  /**
   * The X-Amz-Target prefix of its JSON protocol, e.g.
   * `AmazonEC2ContainerServiceV20141113` (ECS), `AmazonEC2ContainerRegistry_V20150921` (ECR).
   */
  readonly targetPrefix: string;
  /** The SigV4 signing name (credential scope), e.g. `ecs`, `ecr`, `monitoring`; used to route Query requests. */
  readonly signingName: string;
  /**
   * Runs one operation. Unknown operations throw AwsApiError
   * `UnknownOperationException`; bad input throws the service's validation error.
   * Timestamps in results are Date objects; the endpoint encodes them per protocol.
   * Without a context (the sandbox's own calls) it acts in the emulator's home account and region.
   */
  handle(operation: string, input: Record<string, unknown>, context?: RequestContext): Promise<unknown>;
}
