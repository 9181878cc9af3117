import type { ParameterStore } from './parameter-store.ts';

const PARAMETER_ARN = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/;

/** ECS reads `secrets[].valueFrom` (an SSM parameter ARN or name) at task start: the latest version, decrypted. */
export function secretValue(parameters: ParameterStore, valueFrom: string): string | undefined {
  const path = PARAMETER_ARN.exec(valueFrom)?.[1];
  // An ARN's `parameter/x` is the name `x` or, for a hierarchical name, `/x`.
  const candidates = path === undefined ? [valueFrom] : [path, path.slice(1)];
  const name = candidates.find((candidate) => parameters.has(candidate));
  return name === undefined ? undefined : parameters.get(name).value;
}
