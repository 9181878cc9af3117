import { functionKeyOf } from './asl-definition.ts';

// The Lambda Task states of a state machine definition (after loadDefinition
// resolved the serverless `Fn::GetAtt`s to ARNs), wherever they are: at the top,
// inside a Map's item processor or a Parallel's branches.

/** An ASL state, as parsed. */
export type AslState = Record<string, unknown>;

/** One scope of states: the machine's own, a Map's item processor's, or a Parallel branch's. */
export interface AslScope {
  states: Record<string, AslState>;
  /** The Map or Parallel state that runs this scope; undefined at the top. */
  parent?: AslState;
}

/** A Task state that invokes a Lambda function, and how. */
export interface LambdaTask {
  state: string;
  definition: AslState;
  functionKey: string;
  /** What the function is given: the Parameters (or the Payload of lambda:invoke); undefined: the whole state input. */
  payload: unknown;
  /** `.waitForTaskToken`: the result is the token's answer, not the function's return. */
  callback: boolean;
  /** `lambda:invoke` wraps the function's return in `{ Payload, StatusCode, ... }`. */
  wrapped: boolean;
}

const LAMBDA_ARN = 'arn:aws:lambda:';
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every scope of a definition: the top one first, then each Map item processor and Parallel branch. */
export function scopesOf(definition: Record<string, unknown>): AslScope[] {
  const scopes: AslScope[] = [];
  const visit = (states: unknown, parent?: AslState) => {
    if (!isRecord(states)) return;
    const scope = states as Record<string, AslState>;
    scopes.push(parent === undefined ? { states: scope } : { states: scope, parent });
    for (const state of Object.values(scope)) {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (isRecord(processor)) visit(processor.States, state);
      const branches = Array.isArray(state.Branches) ? state.Branches : [];
      for (const branch of branches) if (isRecord(branch)) visit(branch.States, state);
    }
  };
  visit(definition.States);
  return scopes;
}

/** The Task state as a Lambda invocation; undefined for any other state. */
export function lambdaTaskOf(name: string, state: AslState): LambdaTask | undefined {
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return undefined;
  const { Resource: resource, Parameters: parameters } = state;
  if (resource.startsWith(LAMBDA_ARN)) {
    return {
      state: name,
      definition: state,
      functionKey: functionKeyOf(resource),
      payload: parameters,
      callback: false,
      wrapped: false,
    };
  }
  if (!resource.startsWith(LAMBDA_INVOKE) || !isRecord(parameters)) return undefined;
  const functionName = parameters.FunctionName;
  if (typeof functionName !== 'string') return undefined;
  const callback = resource.endsWith('.waitForTaskToken');
  return {
    state: name,
    definition: state,
    functionKey: functionKeyOf(functionName),
    // `Payload.$` passes a whole object chosen at run time: nothing to check statically.
    payload: parameters.Payload,
    callback,
    wrapped: !callback,
  };
}
