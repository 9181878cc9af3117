import type { ServerlessConfig } from '../serverless-config.ts';

/** Where the sandbox pretends to be: the account and region in every ARN it makes. */
export interface SandboxLocation {
  accountId: string;
  region: string;
}

/** One function of serverless.yml as Lambda would run it. */
export interface LambdaFunction {
  /** The serverless.yml key, e.g. `waitStable`. */
  key: string;
  /** The deployed name, e.g. `release-automation-dev-waitStable`. */
  name: string;
  arn: string;
  /** `functions/plan/handler.handler`: module path, then the export. */
  handler: string;
  timeoutSeconds: number;
  memorySize: number;
}

// Lambda's defaults when neither the function nor the provider sets them.
const DEFAULT_TIMEOUT_SECONDS = 6;
const DEFAULT_MEMORY_MB = 1024;

/** Every function of the resolved serverless.yml, by key. */
export function lambdaFunctions(config: ServerlessConfig, location: SandboxLocation): Map<string, LambdaFunction> {
  const stage = config.provider.stage ?? 'dev';
  const functions = new Map<string, LambdaFunction>();
  for (const [key, fn] of Object.entries(config.functions)) {
    const name = fn.name ?? `${config.service}-${stage}-${key}`;
    functions.set(key, {
      key,
      name,
      arn: lambdaArn(location, name),
      handler: fn.handler,
      timeoutSeconds: fn.timeout ?? config.provider.timeout ?? DEFAULT_TIMEOUT_SECONDS,
      memorySize: fn.memorySize ?? config.provider.memorySize ?? DEFAULT_MEMORY_MB,
    });
  }
  return functions;
}

export function lambdaArn(location: SandboxLocation, functionName: string): string {
  return `arn:aws:lambda:${location.region}:${location.accountId}:function:${functionName}`;
}
