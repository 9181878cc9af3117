import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { stringify } from 'yaml';
import { catalogFilePath, type EnvironmentConfig, loadCatalogFile } from '../catalog/index.ts';
import {
  type DoctorPorts,
  formatDoctorReport,
  gitHubWebhookSettings,
  runDoctor,
  type StackOutputsPort,
  slackAppManifest,
  type TargetReadPorts,
} from '../doctor/index.ts';
import {
  createCloudFormationOutputs,
  createCloudWatchMetricList,
  createEcrRepositories,
  createElbv2Resources,
  createIamRoles,
  createSandboxOutputs,
  createSsmParameterNames,
  createUrlReachability,
} from '../doctor/wiring.ts';
import type { AwsClientConfig } from '../platform/wiring.ts';
import { createEcsAdapter } from '../release/wiring.ts';
import type { Target } from './target.ts';
import { type CliPlacement, cliPlacement } from './target-placement.ts';

export const doctorUsage = `Usage: release doctor [--service <name>] [--json] [--aws]

Checks, read-only, that the deployed stack (the sandbox by default) and the
service catalog are ready for a first release, one line per check, ✔ or ✘ and,
for each ✘, what to do (an aws command or the catalog line to change):
  stack       its outputs: the function URLs to paste into Slack and GitHub, the
              state machines, the tables, the alarm topic
  parameters  every SSM parameter the stack and the catalog's secrets read (names only, never values)
  <service>/<environment>, in its own account and region:
              that its deployment role can be assumed (where the catalog names
              one), the cluster and service, the container in the live task definition,
              a native strategy's controller and target groups (with --aws, also
              that its target groups, listener rules and role exist), the ECR repository
              and its scan on push, each smoke URL, the analysis' CloudWatch metrics
Exits 1 when any check fails. Its IAM policy (read-only) is in the README.
  --service <name>          only this catalog service's targets
  --json                    { checks: [{ target, check, ok, detail, fix }] }`;

export const slackManifestUsage = `Usage: release slack-manifest [--json] [--aws]

Prints the Slack app manifest for the deployed stack (the sandbox by default):
the /release slash command and interactivity at the slack-command function URL,
and only the bot scopes the code uses; paste it into api.slack.com/apps →
Create New App → From an app manifest. Then, as comments, GitHub's webhook
settings: the payload URL, content type, secret parameter and the one event.
  --json                    the manifest as JSON instead of YAML`;

/** The stack or the sandbox could not be reached at all: nothing to check. */
export class DoctorConnectionError extends Error {
  override readonly name = 'DoctorConnectionError';
}

/** How the deployed stack is called (serverless: `<service>-<stage>`). */
const stackName = (target: Target) => `release-automation-${target.stage}`;

/** A further client like the target's own: the same region, endpoint and credentials. */
const clientConfig = (target: Target) => ({
  region: target.ecs.config.region,
  endpoint: target.endpoint,
  credentials: target.ecs.config.credentials,
  maxAttempts: 3,
});

/** The stack's outputs port: CloudFormation in AWS, the sandbox's own route otherwise. */
function stackPort(target: Target): StackOutputsPort {
  if (target.endpoint !== undefined) return createSandboxOutputs(target.endpoint);
  return createCloudFormationOutputs(new CloudFormationClient(clientConfig(target)), stackName(target));
}

/** Reads the outputs once, turning "nobody answers" and "no credentials" into a clear error. */
async function reachableOutputs(target: Target): Promise<Readonly<Record<string, string>>> {
  if (target.endpoint === undefined) {
    try {
      await target.ecs.config.credentials();
    } catch (error) {
      throw new DoctorConnectionError(
        'no AWS credentials: configure them (aws configure, AWS_PROFILE, aws sso login) or drop --aws for the sandbox',
        { cause: error },
      );
    }
  }
  try {
    return await stackPort(target).outputs();
  } catch (error) {
    if (target.endpoint === undefined && /does not exist/.test((error as Error).message)) {
      throw new DoctorConnectionError(
        `no stack ${stackName(target)} in ${target.description}: deploy it (npx serverless deploy --stage ${target.stage}), or give the --stage and --region it was deployed with`,
        { cause: error },
      );
    }
    if (target.endpoint !== undefined) {
      throw new DoctorConnectionError(
        `cannot reach the sandbox at ${target.endpoint} (${(error as Error).message}): is it running? (npm start)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The variables the catalog is read with: the shell's, as a build reads them
 * (in AWS, run the doctor with the build's variables); against the sandbox,
 * with the sandbox's own on top (its smoke URLs point at its load balancers'
 * ports, as its functions read them).
 */
async function catalogVariables(target: Target): Promise<Record<string, string | undefined>> {
  if (target.endpoint === undefined) return process.env;
  const response = await fetch(new URL('/_sandbox/catalog-variables', target.endpoint), {
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new DoctorConnectionError(`${target.endpoint} has no catalog variables: is it the sandbox?`);
  return { ...process.env, ...((await response.json()) as Record<string, string>) };
}

/**
 * The ports a target is read through: ECS, CloudWatch, ELBv2 and IAM in its account and region (its
 * role assumed), ECR in its registry's. The sandbox has no ELBv2 or IAM API (its ECS refuses a missing
 * target group or rule itself).
 */
function targetReadPorts(
  { clients, who, accessOf, registryOf }: CliPlacement,
  config: EnvironmentConfig,
  aws: boolean,
): TargetReadPorts {
  const access = accessOf(config);
  const registry = registryOf(config);
  const at = <C>(kind: string, build: (config: AwsClientConfig) => C, where = access) =>
    clients.client(kind, build, where, who);
  return {
    access,
    assumeRole: () => clients.check(access, who),
    ecs: createEcsAdapter(at('ecs', (c) => new ECSClient(c))),
    repositories: createEcrRepositories(
      at('ecr', (c) => new ECRClient(c), registry),
      registry.account,
    ),
    metrics: createCloudWatchMetricList(at('cloudwatch', (c) => new CloudWatchClient(c))),
    ...(aws
      ? {
          loadBalancing: createElbv2Resources(at('elbv2', (c) => new ElasticLoadBalancingV2Client(c))),
          roles: createIamRoles(at('iam', (c) => new IAMClient(c))),
        }
      : {}),
  };
}

/** `release doctor`: prints the report (or JSON) and resolves to the exit code. */
export async function doctor(
  target: Target,
  options: { service?: string; json: boolean },
  print: (line: string) => void,
): Promise<number> {
  const file = catalogFilePath(process.env);
  const outputs = await reachableOutputs(target);
  const catalog = loadCatalogFile(file, await catalogVariables(target));
  const placement = await cliPlacement(target);
  const ports: DoctorPorts = {
    parameters: createSsmParameterNames(target.ssm),
    reachability: createUrlReachability(),
    stack: { outputs: async () => outputs },
    target: ({ config }) => targetReadPorts(placement, config, target.endpoint === undefined),
  };
  const startedAt = Date.now();
  const checks = await runDoctor(
    { catalog, stackName: stackName(target), ...(options.service ? { service: options.service } : {}) },
    ports,
  );
  if (options.json) {
    print(JSON.stringify({ checks }, null, 2));
  } else {
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    print(
      formatDoctorReport(
        checks,
        `release doctor: ${target.description}, stack ${stackName(target)}, catalog ${file} (${seconds} s)`,
      ),
    );
  }
  return checks.every((check) => check.ok) ? 0 : 1;
}

/** `release slack-manifest`: the Slack app manifest, then GitHub's webhook settings as comments. */
export async function slackManifest(target: Target, options: { json: boolean }, print: (line: string) => void) {
  const outputs = await reachableOutputs(target);
  const where = target.endpoint ? `the sandbox at ${target.endpoint}` : `stack ${stackName(target)}`;
  const manifest = slackAppManifest(outputs, where);
  if (options.json) {
    print(JSON.stringify(manifest, null, 2));
    return;
  }
  print(
    [
      `# Slack app manifest for ${where}: api.slack.com/apps → Create New App → From an app manifest.`,
      stringify(manifest).trimEnd(),
      '# GitHub webhook (repository → Settings → Webhooks → Add webhook):',
      ...gitHubWebhookSettings(outputs, where).map((line) => `#   ${line}`),
    ].join('\n'),
  );
}
