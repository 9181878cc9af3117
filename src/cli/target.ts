import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { catalogFilePath } from '../catalog/index.ts';
import type { LedgerStore } from '../insight/index.ts';
import { createLedgerStore } from '../insight/wiring.ts';
import type { ReleaseStore } from '../release/index.ts';
import { createReleaseStore } from '../release/wiring.ts';

export const SANDBOX_ENDPOINT = 'http://127.0.0.1:4566';

export interface TargetOptions {
  'endpoint-url'?: string;
  aws?: boolean;
  region?: string;
  stage?: string;
  /** The service catalog the CLI reads (where a repository's registry is); default RELEASE_CATALOG_FILE, else config/catalog.yml. */
  catalogFile?: string;
}

/** The AWS clients and resource names one CLI run works with: the sandbox by default, or real AWS. */
export interface Target {
  description: string;
  ecr: ECRClient;
  /** For `watch`: the traffic split of a native deployment. */
  ecs: ECSClient;
  sfn: SFNClient;
  /** For `github-release`: the webhook secret; for `rotate` and `secrets`: the catalog's secrets' parameters (metadata only). */
  ssm: SSMClient;
  /** For `dashboard`: the alarms. */
  cloudwatch: CloudWatchClient;
  /** The client under `releases`, to destroy with the others. */
  dynamodb: DynamoDBClient;
  /** The release records and locks, through the port the functions use. */
  releases: ReleaseStore;
  /** The audit ledger (`metrics`, `audit`). */
  ledger: LedgerStore;
  stateMachineName: string;
  /** The deployed stage (`dev` by default). */
  stage: string;
  /** The region the stack is in (`--region`, else AWS_REGION, else us-east-1). */
  region: string;
  /** The AWS endpoint, unless real AWS. */
  endpoint?: string;
  /** The rotation state machine (`rotate`). */
  rotationStateMachineName: string;
  /** The service catalog: where a repository's images are (`push`). */
  catalogFile: string;
  /** The environment the CLI runs with: the catalog's variables. */
  env: NodeJS.ProcessEnv;
}

export function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): Target {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const stage = options.stage ?? 'dev';
  const endpoint = options.aws ? undefined : (options['endpoint-url'] ?? env.AWS_ENDPOINT_URL ?? SANDBOX_ENDPOINT);
  // The sandbox accepts any credentials; real AWS uses the standard provider chain.
  const sandboxCredentials =
    endpoint && !env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } : undefined;
  const config = { region, endpoint, credentials: sandboxCredentials, maxAttempts: 3 };
  const dynamodb = new DynamoDBClient(config);
  return {
    description: endpoint ? `endpoint ${endpoint}` : `AWS ${region}`,
    ecr: new ECRClient(config),
    ecs: new ECSClient(config),
    sfn: new SFNClient(config),
    cloudwatch: new CloudWatchClient(config),
    ssm: new SSMClient(config),
    dynamodb,
    releases: createReleaseStore(
      { releasesTable: `release-automation-${stage}-releases`, locksTable: `release-automation-${stage}-locks` },
      dynamodb,
    ),
    ledger: createLedgerStore(`release-automation-${stage}-audit`, dynamodb),
    stateMachineName: `release-automation-${stage}-release`,
    stage,
    region,
    ...(endpoint ? { endpoint } : {}),
    rotationStateMachineName: `release-automation-${stage}-rotation`,
    catalogFile: options.catalogFile ?? catalogFilePath(env),
    env,
  };
}

/** The release state machine's ARN, found by its name. */
export function releaseStateMachineArn(target: Target): Promise<string> {
  return stateMachineArn(target, target.stateMachineName);
}

/** A state machine's ARN, found by its name. */
export async function stateMachineArn(target: Target, name: string): Promise<string> {
  let nextToken: string | undefined;
  do {
    const page = await target.sfn.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((machine) => machine.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new Error(`state machine ${name} not found at ${target.description}`);
}
