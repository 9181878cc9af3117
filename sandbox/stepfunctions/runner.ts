// The state machines of serverless.yml, registered under their deployed
// names, and their executions (kept in memory for the Step Functions API).
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { STATE_DATA_LIMIT_BYTES } from '../aws/payload-limits.ts';
import { AwsApiError } from '../aws/service.ts';
import type { SandboxLocation } from '../lambda/functions.ts';
import type { ServerlessConfig } from '../serverless-config.ts';
import { allStates, resolveFunctionArns, taskBindings, timeOverrides, withAwsTaskTimeouts } from './definition.ts';
import { Execution, type ExecutionServices, type RegisteredStateMachine } from './execution.ts';

export interface StateMachineRunnerOptions extends ExecutionServices {
  config: ServerlessConfig;
  location: SandboxLocation;
  /** Wait states and retry pauses last their nominal time × this factor. */
  timeFactor: number;
  /** Told when an execution starts and ends (the sandbox prints these). */
  onStart?: (execution: Execution) => void;
  onEnd?: (execution: Execution) => void;
}

// Step Functions' rule for execution names: 1-80 characters, none of whitespace, brackets, wildcards, punctuation, control characters.
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

export class StateMachineRunner {
  readonly #machines = new Map<string, RegisteredStateMachine>();
  readonly #executions = new Map<string, Execution>();
  readonly #options: StateMachineRunnerOptions;
  #closed = false;

  constructor(options: StateMachineRunnerOptions) {
    this.#options = options;
    const { config, location, invoker, timeFactor } = options;
    for (const [key, declared] of Object.entries(config.stepFunctions?.stateMachines ?? {})) {
      const definition = resolveFunctionArns(declared.definition, (functionKey) => {
        const fn = invoker.functions.get(functionKey);
        if (!fn)
          throw new Error(`state machine ${key}: Fn::GetAtt [${functionKey}, Arn] names no function of serverless.yml`);
        return fn.arn;
      });
      const arn = `arn:aws:states:${location.region}:${location.accountId}:stateMachine:${declared.name}`;
      this.#machines.set(arn, {
        key,
        name: declared.name,
        arn,
        roleArn: `arn:aws:iam::${location.accountId}:role/${declared.name}-role`,
        creationDate: new Date(),
        definition,
        machine: new StateMachine(withAwsTaskTimeouts(definition) as unknown as StateMachineDefinition),
        bindings: taskBindings(definition, (functionName) => invoker.resolve(functionName)?.key),
        ...timeOverrides(definition, timeFactor),
        itemsPaths: new Map(
          allStates(definition)
            .filter(([, state]) => state.Type === 'Map')
            .map(([name, state]) => [name, typeof state.ItemsPath === 'string' ? state.ItemsPath : '$']),
        ),
      });
    }
  }

  stateMachines(): RegisteredStateMachine[] {
    return [...this.#machines.values()];
  }

  stateMachine(arn: string): RegisteredStateMachine {
    const found = this.#machines.get(arn);
    if (!found) throw new AwsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return found;
  }

  /** The state machine serverless.yml declares under `key` (e.g. `release`). */
  byKey(key: string): RegisteredStateMachine | undefined {
    return this.stateMachines().find((machine) => machine.key === key);
  }

  /**
   * StartExecution. Like AWS, the same name with the same input while the first
   * is running returns that execution; any other reuse of a name is refused.
   */
  start(stateMachineArn: string, input = '{}', name: string = crypto.randomUUID()): Execution {
    if (this.#closed) throw new AwsApiError('ServiceUnavailable', 'The sandbox is stopping', 503);
    const machine = this.stateMachine(stateMachineArn);
    if (!EXECUTION_NAME.test(name)) throw new AwsApiError('InvalidName', `Invalid Name: '${name}'`);
    try {
      JSON.parse(input);
    } catch {
      throw new AwsApiError(
        'InvalidExecutionInput',
        'Invalid State Machine Execution Input: the input is not valid JSON',
      );
    }
    const bytes = Buffer.byteLength(input, 'utf8');
    if (bytes > STATE_DATA_LIMIT_BYTES) {
      throw new AwsApiError(
        'ValidationException',
        `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${STATE_DATA_LIMIT_BYTES} (it has ${bytes} bytes)`,
      );
    }
    const arn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.#executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new AwsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = new Execution(machine, name, input, this.#options);
    this.#executions.set(arn, execution);
    this.#options.onStart?.(execution);
    void execution.settled.then(() => this.#options.onEnd?.(execution));
    return execution;
  }

  execution(arn: string): Execution {
    const found = this.#executions.get(arn);
    if (!found) throw new AwsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return found;
  }

  /** A state machine's executions, newest first (as ListExecutions returns them). */
  executionsOf(stateMachineArn: string): Execution[] {
    // Insertion order is start order, also within one millisecond.
    return [...this.#executions.values()]
      .reverse()
      .filter((execution) => execution.stateMachine.arn === stateMachineArn);
  }

  /** Stops every running execution and waits until each has settled; no new ones start. */
  async close(): Promise<void> {
    this.#closed = true;
    const executions = [...this.#executions.values()];
    for (const execution of executions) execution.stop('Sandbox.Stopped', 'the sandbox stopped');
    await Promise.all(executions.map((execution) => execution.settled));
  }
}
