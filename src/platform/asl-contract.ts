import { inputProblems, wholeInputProblems } from './asl-input-contract.ts';
import { otherWrites, readsOf, resultAt, scopeInput, unreadableProblem, type Write } from './asl-result-reads.ts';
import { ANY, follow, keysOf, pathSegments, type Shape, templateShape } from './asl-result-shapes.ts';
import { type LambdaTask, lambdaTaskOf, scopesOf } from './asl-tasks.ts';
import type { StepDefinition } from './step.ts';

// The contract check `npm run validate:asl` runs: every Lambda Task state of a
// state machine passes exactly what its step's input schema takes, and the
// states after it read only keys its output has.

/** The step definitions by serverless.yml function key. */
export type StepTable = Readonly<Record<string, StepDefinition>>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// What a Task puts at its ResultPath: the step's output (or the token's answer),
// wrapped by lambda:invoke, reshaped by a ResultSelector.
function resultShape(task: LambdaTask, step: StepDefinition): Shape {
  const returned: Shape = task.callback
    ? step.callbackOutput === undefined
      ? ANY
      : { kind: 'schema', schema: step.callbackOutput }
    : { kind: 'schema', schema: step.output };
  return task.wrapped ? { kind: 'keys', keys: { Payload: returned, StatusCode: { kind: 'leaf' } } } : returned;
}

function selectorProblems(task: LambdaTask, result: Shape): string[] {
  const selector = task.definition.ResultSelector;
  if (!isRecord(selector)) return [];
  const problems: string[] = [];
  const visit = (template: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(template)) {
      if (isRecord(value)) visit(value);
      const segments = key.endsWith('.$') && typeof value === 'string' ? pathSegments(value) : undefined;
      const found = segments === undefined ? undefined : follow(result, segments);
      if (segments !== undefined && found !== undefined && 'missing' in found) {
        const missing = segments[found.missing];
        problems.push(
          `ResultSelector reads "${String(value)}", but the step's output has no key "${missing}" (expected: ${keysOf(found.under).join(', ')})`,
        );
      }
    }
  };
  visit(selector);
  return problems;
}

/**
 * Every way a state machine breaks its steps' contracts, one line each, naming
 * the machine, the state, the step and the key; empty when it keeps them.
 */
export function contractProblems(machine: string, definition: Record<string, unknown>, steps: StepTable): string[] {
  const problems: string[] = [];
  const report = (state: string, step: string, message: string) =>
    problems.push(`${machine}: state ${state} → step ${step}: ${message}`);
  for (const scope of scopesOf(definition)) {
    const writes: Write[] = [];
    const input = scopeInput(scope);
    if (input !== undefined) writes.push(input);
    const wholeInputs: { name: string; step: StepDefinition }[] = [];
    for (const [name, state] of Object.entries(scope.states)) {
      writes.push(...otherWrites(name, state));
      const task = lambdaTaskOf(name, state);
      if (task === undefined) {
        // Another service's result: its shape is not known here.
        const at = state.Type === 'Task' ? resultAt(state.ResultPath) : undefined;
        if (at !== undefined) writes.push({ state: name, at, shape: ANY });
        continue;
      }
      const step = steps[task.functionKey];
      if (step === undefined) {
        report(name, task.functionKey, `function ${task.functionKey} has no step definition (functions/steps.ts)`);
        continue;
      }
      if (task.payload !== undefined) {
        for (const message of inputProblems(step.input, task.payload)) report(name, step.name, message);
      } else if (input !== undefined) {
        // No Parameters: the step gets the whole state data, known in a Map item built by its ItemSelector
        // (plan, at the top, gets the execution's event: not known here).
        wholeInputs.push({ name, step });
      }
      const result = resultShape(task, step);
      for (const message of selectorProblems(task, result)) report(name, step.name, message);
      const at = resultAt(state.ResultPath);
      const shape = isRecord(state.ResultSelector) ? templateShape(state.ResultSelector, result) : result;
      if (at !== undefined) writes.push({ state: name, at, shape, step: step.name });
    }
    const available = new Set([...keysOf(input?.shape ?? ANY), ...writes.flatMap((write) => write.at.slice(0, 1))]);
    for (const { name, step } of wholeInputs) {
      for (const message of wholeInputProblems(step.input, available)) report(name, step.name, message);
    }
    for (const [name, state] of Object.entries(scope.states)) {
      for (const read of readsOf(name, state)) {
        const problem = unreadableProblem(read, writes);
        if (problem !== undefined) report(name, problem.step, problem.message);
      }
    }
  }
  return problems;
}
