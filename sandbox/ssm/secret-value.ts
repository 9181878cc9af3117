import type { ParameterStore } from './parameter-store.ts';

/** ECS reads `secrets[].valueFrom` (an SSM parameter ARN or name) at task start: the latest version, decrypted. */
export function secretValue(parameters: ParameterStore, valueFrom: string): string | undefined {
  const name = valueFrom.startsWith('arn:') ? valueFrom.replace(/^arn:[^:]+:ssm:[^:]*:[^:]*:parameter/, '') : valueFrom;
  return parameters.has(name) ? parameters.get(name).value : undefined;
}
