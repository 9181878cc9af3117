import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { readServerlessConfig } from '../../sandbox/serverless-config.ts';
import { functionKeyOf, lambdaTaskStates, loadDefinition } from '../../src/platform/asl-definition.ts';
import type { Wiring } from '../../src/platform/wiring.ts';
import { fakeLambdaContext } from '../support/fake-lambda-context.ts';

// The one way state-machine tests run an ASL file: state-machines/<name>.asl.yml
// itself, with aws-local-stepfunctions, every Lambda Task calling its function's
// real handler in-process. Retry back-offs take no time and Waits 5 ms (or what
// a world that moves at its own pace asks): the paths are what is tested. Callback tasks (.waitForTaskToken) run their function, then
// wait for the answer to the task token the runner issued (`answer`). The world
// around the machine (tables, Slack, AWS clients) is the caller's.

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type JSONValue = Parameters<StateMachine['run']>[0];

/** One execution's end, and the states it went through. */
export interface MachineRun {
  status: 'SUCCEEDED' | 'FAILED';
  /** The Fail state's (or the execution's) error name. */
  error?: string;
  output?: unknown;
  /** Every state entered, in order (Map iterations interleave when several run). */
  states: string[];
  /** Every state that was retried, once per retry. */
  retried: string[];
  /** What the Releases map returned, one entry per target; there also when the execution fails after it. */
  releases?: unknown[];
}

/** A Task whose Lambda invocation fails with `error` (as Lambda's own errors do, before the handler runs). */
export interface TaskFailure {
  state: string;
  error: string;
  /** How many invocations fail before the handler is called again; every one if omitted. */
  times?: number;
}

/** How one execution is steered by its test. */
export interface RunOptions {
  executionName?: string;
  started?: (abort: () => void) => void;
  /** Called as a Task state is entered (and on each retry), before its handler runs: lets a test change the world mid-run. */
  beforeTask?: (state: string, input: unknown) => void | Promise<void>;
  failTask?: TaskFailure;
  /** Answers a Task state instead of its function (e.g. canary-check's verdicts, which need real traffic). */
  stubTasks?: Record<string, (input: unknown) => unknown>;
}

/** A state machine ready to run, with its functions' handlers and the callback tokens it issued. */
export interface MachineRunner {
  run(input: unknown, options?: RunOptions): Promise<MachineRun>;
  /** Calls a function's real handler directly, as a second invocation outside the execution would. */
  invoke(functionKey: string, event: unknown): Promise<unknown>;
  /** Answers a task token the runner issued; false when no task waits on it (as SendTask* then fails). */
  answer(token: string, result: { output: unknown } | { error: Error }): boolean;
  /** Whether a task waits on a token the runner issued (what SendTaskHeartbeat needs). */
  isWaiting(token: string): boolean;
  /** Every execution event (state inputs, outputs, errors), as JSON. */
  events: string[];
  /** Answers every token still waiting (an aborted execution's callback task holds its timeout timer). */
  stop(): void;
}

interface LoadedHandler {
  handler: Handler;
  timeout: number;
}

/**
 * The handlers of the functions named by `keys`, with their serverless.yml timeouts.
 * The one place a state-machine test loads handlers: call it after the functions' environment is set.
 */
export async function loadHandlers(keys: Iterable<string>, wiring: Wiring): Promise<Map<string, LoadedHandler>> {
  const wanted = new Set(keys);
  const { functions } = await readServerlessConfig();
  const handlers = new Map<string, LoadedHandler>();
  for (const [key, fn] of Object.entries(functions).filter(([key]) => wanted.has(key))) {
    const module = (await import(`../../${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`)) as {
      wire: (wiring: Wiring) => Handler;
    };
    handlers.set(key, { handler: module.wire(wiring), timeout: fn.timeout ?? 30 });
  }
  return handlers;
}

/** The function keys a machine's Task states call (Lambda and callback tasks). */
export function machineFunctions(name: 'release' | 'rotation'): string[] {
  const definition = loadDefinition(name);
  return [...new Set([...lambdaTaskStates(definition).values(), ...callbackStates(definition).map(([, key]) => key)])];
}

/** A runner for state-machines/<name>.asl.yml over `handlers`; `waits` are the Wait states shortened to `waitMs`. */
export function createMachineRunner(
  name: 'release' | 'rotation',
  handlers: Map<string, LoadedHandler>,
  waits: readonly string[],
  waitMs = 5,
): MachineRunner {
  const definition = loadDefinition(name);
  const callbackTasks = new Map(callbackStates(definition));
  const taskStates = new Map([...lambdaTaskStates(definition), ...callbackTasks]);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition);
  const tokens = new Map<string, { resolve: (output: unknown) => void; reject: (error: Error) => void }>();
  const waiting = new Map<string, Promise<unknown>>();
  const events: string[] = [];
  let issued: string | undefined;
  const issueToken = () => {
    const token = `token-${randomUUID()}`;
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    promise.catch(() => undefined);
    tokens.set(token, { resolve, reject });
    waiting.set(token, promise);
    issued = token;
    return token;
  };

  const invoke: MachineRunner['invoke'] = async (key, event) => {
    const fn = handlers.get(key);
    if (!fn) throw new Error(`no handler for function ${key}`);
    return fn.handler(event, fakeLambdaContext(key, fn.timeout));
  };

  const taskHandler = (state: string, key: string, options: RunOptions) => {
    let failures = 0;
    return async (input: unknown) => {
      await options.beforeTask?.(state, input);
      const { failTask } = options;
      if (failTask?.state === state && failures < (failTask.times ?? Number.POSITIVE_INFINITY)) {
        failures++;
        throw Object.assign(new Error(`${failTask.error} (scripted by the test)`), { name: failTask.error });
      }
      const stub = options.stubTasks?.[state];
      if (stub) return (await stub(input)) as never;
      if (callbackTasks.has(state)) {
        const token = issued;
        issued = undefined;
        await invoke(key, (input as { Payload?: unknown }).Payload);
        return (await (waiting.get(token ?? '') ?? Promise.reject(new Error('no task token')))) as never;
      }
      return (await invoke(key, input)) as never;
    };
  };

  const run: MachineRunner['run'] = async (input, options = {}) => {
    const executionName = options.executionName ?? randomUUID();
    const execution = machine.run(input as JSONValue, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          [...taskStates].map(([state, key]) => [state, taskHandler(state, key, options)]),
        ),
        waitTimeOverrides: Object.fromEntries(waits.map((state) => [state, waitMs])),
        retryIntervalOverrides: Object.fromEntries([...taskStates.keys()].map((state) => [state, 1])),
      },
      context: {
        Execution: {
          Id: `arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-${name}:${executionName}`,
          Name: executionName,
          StartTime: new Date().toISOString(),
          Input: input as JSONValue,
        },
        // A getter: each callback task that reads $$.Task.Token gets a token of its own.
        Task: {
          get Token() {
            return issueToken();
          },
        },
      } as never,
    });
    options.started?.(execution.abort);
    const states: string[] = [];
    const retried: string[] = [];
    let releases: unknown[] | undefined;
    const collect = (async () => {
      for await (const entry of execution.eventLogs) {
        events.push(JSON.stringify(entry));
        if (entry.type === 'StateEntered') states.push(entry.state.name);
        if (entry.type === 'StateRetried') retried.push(entry.state.name);
        if (entry.type === 'StateExited' && entry.state.name === 'Releases') {
          releases = (entry.state.output as { results?: unknown[] } | undefined)?.results;
        }
      }
    })();
    try {
      const output = await execution.result;
      await collect;
      events.push(JSON.stringify(output));
      return { status: 'SUCCEEDED', output, states, retried, releases };
    } catch (error) {
      await collect.catch(() => undefined);
      // ExecutionError wraps the Fail state's (or the uncaught) error as its cause.
      const { name: errorName, cause } = error as Error & { cause?: Error };
      return { status: 'FAILED', error: cause?.name ?? errorName, states, retried, releases };
    }
  };

  return {
    run,
    invoke,
    events,
    answer(token, result) {
      const task = tokens.get(token);
      if (!task) return false;
      tokens.delete(token);
      if ('output' in result) task.resolve(result.output);
      else task.reject(result.error);
      return true;
    },
    isWaiting: (token) => tokens.has(token),
    stop() {
      for (const task of tokens.values()) task.reject(new Error('the harness stopped'));
      tokens.clear();
    },
  };
}

/** Every `lambda:invoke.waitForTaskToken` Task state with the function key its FunctionName names. */
function callbackStates(definition: Record<string, unknown>): [string, string][] {
  const found: [string, string][] = [];
  const visit = (states: unknown) => {
    if (states === null || typeof states !== 'object') return;
    for (const [name, state] of Object.entries(states as Record<string, Record<string, unknown>>)) {
      const parameters = state.Parameters as { FunctionName?: unknown } | undefined;
      if (
        state.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken' &&
        typeof parameters?.FunctionName === 'string'
      ) {
        found.push([name, functionKeyOf(parameters.FunctionName)]);
      }
      const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
      if (processor) visit(processor.States);
    }
  };
  visit(definition.States);
  return found;
}
