// A state machine of serverless.yml made runnable by aws-local-stepfunctions:
// `Fn::GetAtt: [fn, Arn]` resolved to the sandbox's Lambda ARNs (as
// serverless-step-functions does at deploy), and the states the runner needs
// to treat specially (Lambda tasks, callback tasks, waits, retries) found.
import { lambdaTaskStates } from '../../src/platform/index.ts';

type Json = Record<string, unknown>;

/** A Task state the sandbox runs itself, and how. */
export type TaskBinding =
  /** `Resource: arn:aws:lambda:...:function:X`: the result is the function's output. */
  | { kind: 'lambda'; functionKey: string }
  /** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: FunctionName and Payload in Parameters. */
  | { kind: 'lambda:invoke'; waitForTaskToken: boolean; heartbeatSeconds?: number };

// Step Functions waits up to a year for a Task without TimeoutSeconds; aws-local-stepfunctions
// gives up after 60 s. Node timers cannot exceed 2^31 ms (~24.8 days), so this is "no timeout".
const NO_TASK_TIMEOUT_SECONDS = 2_000_000;

/** The definition with every `Fn::GetAtt: [key, Arn]` replaced by `arnOf(key)`. */
export function resolveFunctionArns(definition: unknown, arnOf: (functionKey: string) => string): Json {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const getAtt = (value as Json)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && getAtt[1] === 'Arn') return arnOf(getAtt[0]);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
  };
  const resolved = resolve(definition);
  if (resolved === null || typeof resolved !== 'object' || Array.isArray(resolved)) {
    throw new Error('a state machine definition must be an object');
  }
  return resolved as Json;
}

/** Every state of the definition, including those inside Map and Parallel states. */
export function allStates(definition: Json): [string, Json][] {
  const found: [string, Json][] = [];
  const visit = (states: unknown) => {
    if (states === null || typeof states !== 'object') return;
    for (const [name, state] of Object.entries(states as Record<string, Json>)) {
      found.push([name, state]);
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      if (processor) visit(processor.States);
      for (const branch of (state.Branches as Json[] | undefined) ?? []) visit(branch.States);
    }
  };
  visit(definition.States);
  return found;
}

/**
 * How to run each Task state; a Task the sandbox cannot run fails the state
 * machine's registration. `functionKeyOf` maps a function name (the last
 * segment of its ARN) to its serverless.yml key.
 */
export function taskBindings(
  definition: Json,
  functionKeyOf: (functionName: string) => string | undefined,
): Map<string, TaskBinding> {
  const bindings = new Map<string, TaskBinding>();
  for (const [state, functionName] of lambdaTaskStates(definition)) {
    const functionKey = functionKeyOf(functionName);
    if (!functionKey) throw new Error(`state ${state} invokes ${functionName}, which serverless.yml does not define`);
    bindings.set(state, { kind: 'lambda', functionKey });
  }
  for (const [name, state] of allStates(definition)) {
    if (state.Type !== 'Task' || bindings.has(name)) continue;
    const resource = String(state.Resource);
    if (
      resource === 'arn:aws:states:::lambda:invoke' ||
      resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken'
    ) {
      bindings.set(name, {
        kind: 'lambda:invoke',
        waitForTaskToken: resource.endsWith('.waitForTaskToken'),
        ...(typeof state.HeartbeatSeconds === 'number' ? { heartbeatSeconds: state.HeartbeatSeconds } : {}),
      });
    } else {
      throw new Error(`state ${name}: the sandbox cannot run Task resource ${resource}`);
    }
  }
  return bindings;
}

/** A copy of the definition with AWS's Task timeout default where the ASL sets none. */
export function withAwsTaskTimeouts(definition: Json): Json {
  // A JSON copy, not structuredClone: the interpreter recurses only into objects of its own realm
  // (Object.prototype), and under Jest's VM modules structuredClone builds them in another.
  const copy = JSON.parse(JSON.stringify(definition)) as Json;
  for (const [, state] of allStates(copy)) {
    if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = NO_TASK_TIMEOUT_SECONDS;
    }
  }
  return copy;
}

/**
 * Wait and retry durations under the time factor: a `Seconds: 15` Wait takes
 * 15 000 × factor ms, a retry pauses IntervalSeconds × factor (without backoff
 * or jitter: the interpreter takes one fixed pause per retrier). Waits on
 * SecondsPath or a timestamp are not scaled: WaitForRollout's SecondsPath is
 * CheckRollout's waitSeconds, already the sandbox's (lambda/analysis-time.ts).
 */
export function timeOverrides(
  definition: Json,
  timeFactor: number,
): { waitTimeOverrides: Record<string, number>; retryIntervalOverrides: Record<string, number[]> } {
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number[]> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Wait' && typeof state.Seconds === 'number') {
      waitTimeOverrides[name] = Math.round(state.Seconds * 1000 * timeFactor);
    }
    if (Array.isArray(state.Retry)) {
      retryIntervalOverrides[name] = (state.Retry as Json[]).map((retrier) =>
        Math.round((typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1) * 1000 * timeFactor),
      );
    }
  }
  return { waitTimeOverrides, retryIntervalOverrides };
}
