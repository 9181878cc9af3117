// The environment the functions run with in the sandbox: exactly what
// serverless.yml gives them in AWS (provider.environment plus each function's
// own), with CloudFormation references resolved to the sandbox's resources,
// and the few variables Lambda itself sets, pointed at the sandbox.
import type { ServerlessConfig } from '../serverless-config.ts';

/** What `{Ref: X}` and `{Fn::GetAtt: [X, Arn]}` mean in the sandbox, by logical id. */
export type SandboxResources = Record<string, { ref: string; arn?: string }>;

/** The variables that differ from AWS: where AWS is, and the sandbox's stand-ins. */
export interface SandboxEndpoints {
  /** The sandbox's AWS endpoint, `http://127.0.0.1:<port>`. */
  awsEndpoint: string;
  region: string;
  /** The sandbox's own account: what `{Ref: AWS::AccountId}` means. */
  accountId: string;
  /** The Slack Web API stub, ending in `/api/` like `https://slack.com/api/`. */
  slackApiUrl: string;
}

/**
 * One environment for all functions: in the sandbox they share a process, so
 * a variable set to different values (by two functions, or by a function
 * overriding the provider's) cannot be honoured and fails here, loudly,
 * rather than giving a function another's value.
 */
export function functionEnvironment(
  config: ServerlessConfig,
  resources: SandboxResources,
  endpoints: SandboxEndpoints,
): Record<string, string> {
  const environment: Record<string, string> = {};
  const setBy = new Map<string, string>();
  // CloudFormation's pseudo parameters, as the functions' variables use them.
  const known: SandboxResources = { ...resources, 'AWS::AccountId': { ref: endpoints.accountId } };
  const declare = (source: string, variables: Record<string, unknown> | undefined) => {
    for (const [name, value] of Object.entries(variables ?? {})) {
      const resolved = resolveValue(value, known, `${source} variable ${name}`);
      const previous = environment[name];
      if (previous !== undefined && previous !== resolved) {
        throw new Error(
          `${source} sets ${name}=${resolved} but ${setBy.get(name)} sets ${name}=${previous}; ` +
            'the sandbox runs every function in one process, so they must agree',
        );
      }
      environment[name] = resolved;
      setBy.set(name, source);
    }
  };
  declare('provider', config.provider.environment);
  for (const [key, fn] of Object.entries(config.functions)) declare(`function ${key}`, fn.environment);

  return {
    ...environment,
    // Lambda sets these; the SDK clients read them.
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    // Any credentials do: the sandbox checks no signatures.
    AWS_ACCESS_KEY_ID: 'sandbox',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    // Every AWS SDK client of the functions goes to the sandbox (SDK v3's standard variable).
    AWS_ENDPOINT_URL: endpoints.awsEndpoint,
    SLACK_API_URL: endpoints.slackApiUrl,
    // No X-Ray daemon and no CloudWatch EMF collector on a laptop.
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

function resolveValue(value: unknown, resources: SandboxResources, where: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value !== null && typeof value === 'object') {
    const intrinsic = value as Record<string, unknown>;
    if (typeof intrinsic.Ref === 'string') {
      const resource = resources[intrinsic.Ref];
      if (resource) return resource.ref;
      throw new Error(`${where}: {Ref: ${intrinsic.Ref}} names nothing the sandbox provides`);
    }
    const getAtt = intrinsic['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
      const arn = resources[getAtt[0]]?.arn;
      if (arn) return arn;
      throw new Error(`${where}: {Fn::GetAtt: [${getAtt[0]}, Arn]} names nothing the sandbox provides`);
    }
  }
  throw new Error(`${where}: the sandbox cannot resolve ${JSON.stringify(value)}`);
}
