// One Standard execution run by aws-local-stepfunctions: its status as
// DescribeExecution reports it, its history, and its Task states bound to the
// real function handlers (in-process, through the Lambda invoker).
import type { StateMachine } from 'aws-local-stepfunctions';
import { DataLimitExceededError, jsonBytes, STATE_DATA_LIMIT_BYTES } from '../aws/payload-limits.ts';
import type { InvocationObserver, LambdaInvocationError, LambdaInvoker } from '../lambda/invoker.ts';
import type { TaskBinding } from './definition.ts';
import { ExecutionHistory } from './history.ts';
import { TaskFailedError, type TaskTokens } from './task-tokens.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A registered state machine, ready to run. */
export interface RegisteredStateMachine {
  key: string;
  name: string;
  arn: string;
  roleArn: string;
  creationDate: Date;
  /** The definition as deployed (function ARNs resolved), for DescribeStateMachine. */
  definition: Record<string, unknown>;
  machine: StateMachine;
  bindings: ReadonlyMap<string, TaskBinding>;
  waitTimeOverrides: Record<string, number>;
  retryIntervalOverrides: Record<string, number[]>;
  /** The Map states' ItemsPath, to report how many items each iterates over. */
  itemsPaths: ReadonlyMap<string, string>;
}

export interface ExecutionServices {
  invoker: LambdaInvoker;
  tokens: TaskTokens;
  region: string;
}

type Json = Parameters<StateMachine['run']>[0];
type LocalHandler = (input: Json) => Promise<Json>;

/** Lets the interpreter's event log catch up, so Lambda events land after the TaskStateEntered that caused them. */
const drainEventLog = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Execution {
  readonly arn: string;
  readonly name: string;
  readonly stateMachine: RegisteredStateMachine;
  readonly input: string;
  readonly startDate = new Date();
  readonly history: ExecutionHistory;
  status: ExecutionStatus = 'RUNNING';
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Settles when the execution has ended and its history is complete. */
  readonly settled: Promise<void>;
  readonly #services: ExecutionServices;
  readonly #abortRun: () => void;
  #abortDetails?: { error?: string; cause?: string };
  /** The token a `$$.Task.Token` read issued, until the callback task that read it takes it. */
  #issuedToken?: string;

  constructor(stateMachine: RegisteredStateMachine, name: string, input: string, services: ExecutionServices) {
    this.stateMachine = stateMachine;
    this.name = name;
    this.input = input;
    this.arn = `${stateMachine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    this.#services = services;
    const history = new ExecutionHistory((mapState, mapInput) =>
      countItems(mapInput, stateMachine.itemsPaths.get(mapState) ?? '$'),
    );
    this.history = history;

    const run = stateMachine.machine.run(JSON.parse(input) as Json, {
      overrides: {
        taskResourceLocalHandlers: this.#taskHandlers(),
        waitTimeOverrides: stateMachine.waitTimeOverrides,
        retryIntervalOverrides: stateMachine.retryIntervalOverrides,
      },
      context: this.#contextObject(),
      noThrowOnAbort: true,
    });
    this.#abortRun = run.abort;
    const recorded = (async () => {
      for await (const event of run.eventLogs) {
        history.record(event, { roleArn: stateMachine.roleArn, abort: this.#abortDetails });
      }
    })();
    this.settled = this.#finish(run.result, recorded);
  }

  /** StopExecution: ends the run after the state in progress, as ABORTED. */
  stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    this.#abortDetails = { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) };
    this.status = 'ABORTED';
    this.stopDate = new Date();
    this.error = error;
    this.cause = cause;
    this.#services.tokens.cancel(this.arn);
    this.#abortRun();
  }

  async #finish(result: Promise<unknown>, recorded: Promise<void>): Promise<void> {
    let status: ExecutionStatus = 'SUCCEEDED';
    try {
      const output = await result;
      this.output = JSON.stringify(output ?? null);
    } catch (error) {
      // ExecutionError wraps the Fail state's (or the uncaught) error as its cause.
      const failure = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      status = error instanceof Error && error.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
      this.error = failure instanceof Error ? failure.name : 'States.Runtime';
      this.cause = failure instanceof Error ? failure.message : String(failure);
    }
    await recorded.catch(() => undefined);
    this.#services.tokens.cancel(this.arn);
    if (this.status === 'RUNNING') {
      this.status = status;
      this.stopDate = new Date();
    } else {
      this.output = undefined;
    }
  }

  #contextObject(): Record<string, unknown> {
    const execution = this;
    return {
      Execution: {
        Id: this.arn,
        Name: this.name,
        StartTime: this.startDate.toISOString(),
        Input: JSON.parse(this.input) as unknown,
        RoleArn: this.stateMachine.roleArn,
      },
      StateMachine: { Id: this.stateMachine.arn, Name: this.stateMachine.name },
      // A getter, so that each callback task reading $$.Task.Token gets a token of its own.
      Task: {
        get Token() {
          execution.#issuedToken = execution.#services.tokens.issue(execution.arn);
          return execution.#issuedToken;
        },
      },
    };
  }

  #taskHandlers(): Record<string, LocalHandler> {
    const handlers: Record<string, LocalHandler> = {};
    for (const [state, binding] of this.stateMachine.bindings) {
      handlers[state] = async (input) => {
        // The interpreter reads Parameters (and so $$.Task.Token) just before calling us, synchronously.
        const token = this.#issuedToken;
        this.#issuedToken = undefined;
        await drainEventLog();
        if (this.status !== 'RUNNING') throw new TaskFailedError('States.Runtime', 'the execution has ended');
        checkStateData(state, 'input', input);
        const output = await (binding.kind === 'lambda'
          ? this.#invokeLambda(binding.functionKey, input)
          : this.#invokeIntegration(input, binding, token));
        checkStateData(state, 'output', output);
        return output as Json;
      };
    }
    return handlers;
  }

  /** A `Resource: <function ARN>` task: the history shows LambdaFunction* events. */
  #invokeLambda(functionKey: string, input: unknown): Promise<unknown> {
    const fn = this.#services.invoker.functions.get(functionKey);
    this.history.add('LambdaFunctionScheduled', {
      lambdaFunctionScheduledEventDetails: {
        resource: fn?.arn ?? functionKey,
        input: JSON.stringify(input),
        inputDetails: { truncated: false },
      },
    });
    const observer: InvocationObserver = {
      started: () => this.history.add('LambdaFunctionStarted'),
      succeeded: (output) =>
        this.history.add('LambdaFunctionSucceeded', {
          lambdaFunctionSucceededEventDetails: { output: JSON.stringify(output), outputDetails: { truncated: false } },
        }),
      failed: (error: LambdaInvocationError) =>
        this.history.add('LambdaFunctionFailed', {
          lambdaFunctionFailedEventDetails: { error: error.name, cause: error.message },
        }),
    };
    return this.#services.invoker.invoke(functionKey, input, observer);
  }

  /** An `arn:aws:states:::lambda:invoke[.waitForTaskToken]` task: Task* events, the Invoke API's result shape. */
  async #invokeIntegration(
    parameters: unknown,
    binding: Extract<TaskBinding, { kind: 'lambda:invoke' }>,
    token: string | undefined,
  ): Promise<unknown> {
    const { waitForTaskToken } = binding;
    const resource = waitForTaskToken ? 'invoke.waitForTaskToken' : 'invoke';
    const task = { resourceType: 'lambda', resource };
    const { FunctionName, Payload } = (parameters ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    const fn = typeof FunctionName === 'string' ? this.#services.invoker.resolve(FunctionName) : undefined;
    this.history.add('TaskScheduled', {
      taskScheduledEventDetails: { ...task, region: this.#services.region, parameters: JSON.stringify(parameters) },
    });
    if (!fn) {
      const error = new TaskFailedError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${String(FunctionName)}`,
      );
      this.history.add('TaskFailed', { taskFailedEventDetails: { ...task, error: error.name, cause: error.message } });
      throw error;
    }
    if (waitForTaskToken && !token) {
      throw new TaskFailedError('States.Runtime', 'a .waitForTaskToken task must pass $$.Task.Token in its Parameters');
    }
    try {
      const output = await this.#services.invoker.invoke(fn.key, Payload ?? null, {
        started: () => this.history.add('TaskStarted', { taskStartedEventDetails: task }),
      });
      const invokeResult = {
        ExecutedVersion: '$LATEST',
        Payload: output,
        SdkHttpMetadata: { HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: this.arn },
        StatusCode: 200,
      };
      if (!token) {
        this.history.add('TaskSucceeded', {
          taskSucceededEventDetails: { ...task, output: JSON.stringify(invokeResult) },
        });
        return invokeResult;
      }
      this.history.add('TaskSubmitted', {
        taskSubmittedEventDetails: { ...task, output: JSON.stringify(invokeResult) },
      });
      const callback = await this.#services.tokens.wait(token, binding.heartbeatSeconds);
      this.history.add('TaskSucceeded', { taskSucceededEventDetails: { ...task, output: JSON.stringify(callback) } });
      return callback;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.history.add('TaskFailed', {
        taskFailedEventDetails: { ...task, error: failure.name, cause: failure.message },
      });
      throw failure;
    }
  }
}

/** A task's input or result over Step Functions' limit fails the execution, as in AWS. */
function checkStateData(state: string, what: 'input' | 'output', data: unknown): void {
  const bytes = jsonBytes(data);
  if (bytes > STATE_DATA_LIMIT_BYTES) {
    throw new DataLimitExceededError(
      `The state/task '${state}' ${what} has a size of ${bytes} bytes, over the limit of ${STATE_DATA_LIMIT_BYTES} bytes.`,
    );
  }
}

/** How many items `path` (a plain `$.a.b[0]` path) selects from a Map state's input. */
function countItems(input: unknown, path: string): number {
  let value: unknown = input;
  for (const segment of path.replace(/^\$/, '').match(/[^.[\]]+/g) ?? []) {
    if (value === null || typeof value !== 'object') return 0;
    value = (value as Record<string, unknown>)[segment];
  }
  return Array.isArray(value) ? value.length : 0;
}
