import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Where the state machines' ASL files live. */
export const stateMachinesDir = fileURLToPath(new URL('../../state-machines/', import.meta.url));

/** Builds the Lambda ARN that stands for a serverless.yml function key. */
export type FunctionArnFor = (functionKey: string) => string;

export const exampleFunctionArn: FunctionArnFor = (key) => `arn:aws:lambda:us-east-1:123456789012:function:${key}`;

/** The serverless.yml function key in a Lambda ARN built by a FunctionArnFor (its last segment). */
export function functionKeyOf(resource: string): string {
  return resource.slice(resource.lastIndexOf(':') + 1);
}

/**
 * Reads `state-machines/<name>.asl.yml` as pure ASL: YAML anchors and merge
 * keys expanded, and each `Fn::GetAtt: [fn, Arn]` (which serverless resolves
 * at deploy time) replaced by the ARN `arnFor` gives the function.
 */
export function loadDefinition(name: string, arnFor: FunctionArnFor = exampleFunctionArn): Record<string, unknown> {
  const file = `${stateMachinesDir}${name}.asl.yml`;
  const document: unknown = parse(readFileSync(file, 'utf8'), { merge: true });
  return resolveGetAtt(document, arnFor) as Record<string, unknown>;
}

function resolveGetAtt(value: unknown, arnFor: FunctionArnFor): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveGetAtt(item, arnFor));
  if (value === null || typeof value !== 'object') return value;
  const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && getAtt[1] === 'Arn') return arnFor(getAtt[0]);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveGetAtt(item, arnFor)]));
}

/** Every Task state (including those inside Map and Parallel) with the function key it invokes. */
export function lambdaTaskStates(definition: Record<string, unknown>): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (states: unknown) => {
    if (states === null || typeof states !== 'object') return;
    for (const [stateName, state] of Object.entries(states as Record<string, Record<string, unknown>>)) {
      if (state.Type === 'Task' && typeof state.Resource === 'string' && state.Resource.startsWith('arn:aws:lambda:')) {
        found.set(stateName, functionKeyOf(state.Resource));
      }
      const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
      if (processor) visit(processor.States);
      for (const branch of (state.Branches as Record<string, unknown>[] | undefined) ?? []) visit(branch.States);
    }
  };
  visit(definition.States);
  return found;
}
