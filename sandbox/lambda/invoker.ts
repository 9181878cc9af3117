// Invokes the functions in-process the way Lambda does: the event and the
// result cross a JSON boundary (no shared objects, Dates become strings), the
// function's timeout is enforced, and a failure comes back as Lambda reports
// it: an error type plus the `{errorType, errorMessage, trace}` payload that
// Step Functions shows as the Cause.
import { randomUUID } from 'node:crypto';
import { processEnvironment } from '../../src/platform/index.ts';
import type { Wiring } from '../../src/platform/wiring.ts';
import { jsonBytes, LAMBDA_PAYLOAD_LIMIT_BYTES } from '../aws/payload-limits.ts';
import { inSandbox } from '../crash-guard.ts';
import { lambdaContext } from './context.ts';
import type { LambdaFunction } from './functions.ts';
import { HandlerLoadError, importHandler, type LambdaHandler, type WiredHandler } from './handlers.ts';

/** The error payload of a failed invocation, as Lambda returns it. */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/**
 * A failed invocation. `name` is the error type (what ASL Retry/Catch match)
 * and `message` the JSON payload (what Step Functions puts in Cause).
 */
export class LambdaInvocationError extends Error {
  readonly payload: LambdaErrorPayload;
  constructor(payload: LambdaErrorPayload) {
    super(JSON.stringify(payload));
    this.name = payload.errorType;
    this.payload = payload;
  }
}

/** What an observer hears about one invocation (for execution histories and the terminal). */
export interface InvocationObserver {
  started?(requestId: string): void;
  succeeded?(output: unknown): void;
  failed?(error: LambdaInvocationError): void;
}

export interface LambdaInvokerOptions {
  functions: ReadonlyMap<string, LambdaFunction>;
  /** Handlers to use instead of importing serverless.yml's (tests inject stubs here), by function key. */
  handlers?: Readonly<Record<string, LambdaHandler | WiredHandler>>;
  /** What the functions are wired with (asked at their first invocation); Lambda's own environment if omitted. */
  wiring?: () => Wiring;
}

export class LambdaInvoker {
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly #overrides: Readonly<Record<string, LambdaHandler | WiredHandler>>;
  readonly #loaded = new Map<string, Promise<LambdaHandler>>();
  readonly #wiring: () => Wiring;

  constructor(options: LambdaInvokerOptions) {
    this.functions = options.functions;
    this.#overrides = options.handlers ?? {};
    this.#wiring = options.wiring ?? (() => ({ env: processEnvironment(), aws: {} }));
  }

  /** The function a key, a name or an ARN (with or without qualifier) stands for. */
  resolve(reference: string): LambdaFunction | undefined {
    const direct = this.functions.get(reference);
    if (direct) return direct;
    const name = reference.startsWith('arn:') ? (reference.split(':')[6] ?? '') : reference.split(':')[0];
    return [...this.functions.values()].find((fn) => fn.name === name || fn.key === name);
  }

  /** Runs one invocation; resolves with the JSON result, rejects with LambdaInvocationError. */
  async invoke(key: string, event: unknown, observer: InvocationObserver = {}): Promise<unknown> {
    const fn = this.functions.get(key);
    if (!fn) {
      throw new LambdaInvocationError({
        errorType: 'ResourceNotFoundException',
        errorMessage: `Function not found: ${key}`,
        trace: [],
      });
    }
    const requestId = randomUUID();
    const requestBytes = jsonBytes(event);
    if (requestBytes > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      throw new LambdaInvocationError({
        errorType: 'RequestEntityTooLargeException',
        errorMessage: `Request must be smaller than ${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation`,
        trace: [],
      });
    }
    observer.started?.(requestId);
    try {
      const handler = await this.#handler(fn);
      // Through a promise, so that a handler that throws synchronously fails like any other;
      // as the sandbox's own work, whoever invokes, so its stray failures are survived.
      const work = inSandbox(() =>
        Promise.resolve().then(() => handler(jsonCopy(event), lambdaContext(fn, requestId))),
      );
      const output = await withTimeout(work, fn.timeoutSeconds, requestId);
      const result = output === undefined ? null : jsonCopy(output);
      const responseBytes = jsonBytes(result);
      if (responseBytes > LAMBDA_PAYLOAD_LIMIT_BYTES) {
        throw new LambdaInvocationError({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size (${responseBytes} bytes) exceeded maximum allowed payload size (${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes).`,
          trace: [],
        });
      }
      observer.succeeded?.(result);
      return result;
    } catch (error) {
      const failure = error instanceof LambdaInvocationError ? error : new LambdaInvocationError(payloadOf(error));
      observer.failed?.(failure);
      throw failure;
    }
  }

  /** Drops every loaded handler: the next invocation of each function is a cold start (new configuration). */
  coldStartAll(): void {
    this.#loaded.clear();
  }

  #handler(fn: LambdaFunction): Promise<LambdaHandler> {
    const override = this.#overrides[fn.key];
    if (typeof override === 'function') return Promise.resolve(override);
    let loading = this.#loaded.get(fn.key);
    if (!loading) {
      // A wired stand-in is wired once per cold start, as the function's own module would be.
      loading = override
        ? Promise.resolve().then(() => override.wire(this.#wiring()))
        : importHandler(fn.handler, this.#wiring);
      // A failed import is retried at the next invocation (the file may appear later), as a new Lambda sandbox would.
      loading.catch(() => this.#loaded.delete(fn.key));
      this.#loaded.set(fn.key, loading);
    }
    return loading;
  }
}

function jsonCopy(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** Lambda ends an invocation at the function's timeout; the handler's promise is abandoned (it cannot be killed in-process). */
async function withTimeout<T>(work: Promise<T>, seconds: number, requestId: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = `${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`;
      reject(new LambdaInvocationError({ errorType: 'Sandbox.Timedout', errorMessage: message, trace: [] }));
    }, seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    // A late rejection of the abandoned handler must not become an unhandled rejection.
    work.catch(() => undefined);
  }
}

function payloadOf(error: unknown): LambdaErrorPayload {
  if (error instanceof HandlerLoadError) {
    return { errorType: error.errorType, errorMessage: error.message, trace: [] };
  }
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n').filter((line) => line.trim() !== ''),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}
