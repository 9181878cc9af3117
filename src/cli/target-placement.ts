import { readFileSync } from 'node:fs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parse } from 'yaml';
import * as z from 'zod';
import {
  catalogFilePath,
  type EnvironmentConfig,
  type Placement,
  resolvePlacement,
  roleAccount,
} from '../catalog/index.ts';
import { type Home, roleSessionName, type TargetAccess } from '../platform/index.ts';
import { type AwsClientConfig, RoleSessions, TargetClients } from '../platform/wiring.ts';
import type { Target } from './target.ts';

// The CLI's reads of catalog targets in other accounts and regions (issue
// 20): its own credentials (the automation account's) assume each target's
// deployment role, in a session named after whoever runs it, so CloudTrail
// in the target's account tells the CLI's reads from a release's calls.

/** The CLI's reach into the catalog's targets: where each lives, and clients there. */
export interface CliPlacement {
  /** The account the CLI's credentials act in, and its region: where a target naming neither lives. */
  home: Home;
  /** The role session's name: `release-cli-<user>`. */
  who: string;
  clients: TargetClients;
  /** Where a catalog environment's ECS service lives, and the role that reaches it. */
  accessOf(config: EnvironmentConfig): TargetAccess;
  /** Where its images' ECR repository is (the environment's `registry`, else the automation's own). */
  registryOf(config: EnvironmentConfig): TargetAccess;
}

/** The role session name of a CLI run: `release-cli`, and the user's name where the shell gives one. */
export const cliSessionName = (env: NodeJS.ProcessEnv): string =>
  roleSessionName(env.USER ? `release-cli-${env.USER}` : 'release-cli');

const clientsOf = new WeakMap<Target, { clients: TargetClients; sts: STSClient }>();

/** The CLI's clients in its targets' accounts (its own credentials assuming their roles), one set per Target. */
export function cliTargetClients(target: Target): { clients: TargetClients; sts: STSClient } {
  let made = clientsOf.get(target);
  if (made === undefined) {
    const config: AwsClientConfig = {
      ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
      credentials: () => target.ecs.config.credentials(),
    };
    const sts = new STSClient({ ...config, region: target.ecs.config.region, maxAttempts: 3 });
    made = { clients: new TargetClients(config, new RoleSessions({ sts })), sts };
    clientsOf.set(target, made);
  }
  return made;
}

/** Asks STS which account the CLI acts in (the sandbox answers 000000000000), once per run. */
export async function cliPlacement(target: Target, env: NodeJS.ProcessEnv = process.env): Promise<CliPlacement> {
  const { clients, sts } = cliTargetClients(target);
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  if (Account === undefined) throw new Error(`STS did not say which account the CLI acts in at ${target.description}`);
  const home = { account: Account, region: await target.ecs.config.region() };
  return {
    home,
    who: cliSessionName(env),
    clients,
    accessOf: (environment) => resolvePlacement(environment, home),
    registryOf: (environment) =>
      environment.registry === undefined ? { ...home } : resolvePlacement(environment.registry, home),
  };
}

/** A catalog target's ECS service and its placement fields as written (they take no variables). */
interface CatalogPlacement {
  cluster: string;
  service: string;
  placement: Placement;
}

const catalogPlacementSchema = z.object({
  services: z.record(
    z.string(),
    z.object({
      environments: z.record(
        z.string(),
        z.looseObject({
          cluster: z.string(),
          service: z.string(),
          account: z.string().optional(),
          region: z.string().optional(),
          roleArn: z.string().optional(),
          externalId: z.string().optional(),
        }),
      ),
    }),
  ),
});

/** Every catalog target's ECS service and placement; none when the file cannot be read (the CLI then reads as itself). */
export function readCatalogPlacements(file: string): CatalogPlacement[] {
  try {
    const parsed = catalogPlacementSchema.safeParse(parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return [];
    return Object.values(parsed.data.services).flatMap(({ environments }) =>
      Object.values(environments).map(({ cluster, service, account, region, roleArn, externalId }) => ({
        cluster,
        service,
        placement: { account, region, roleArn, externalId },
      })),
    );
  } catch {
    return [];
  }
}

/** `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>`. */
const SERVICE_DEPLOYMENT = /^arn:[^:]+:ecs:([^:]+):(\d{12}):service-deployment\/([^/]+)\/([^/]+)\//;

/**
 * ECS where a service deployment lives: its ARN names the account, region, cluster and service; the
 * catalog target on that service in that account gives the role to assume (session
 * `release-cli-<user>`). A deployment no target names a role for is read with the CLI's own
 * credentials, in its region.
 */
export function deploymentEcs(
  target: Target,
  serviceDeploymentArn: string,
  env: NodeJS.ProcessEnv = process.env,
): ECSClient {
  const found = SERVICE_DEPLOYMENT.exec(serviceDeploymentArn);
  if (found === null) return target.ecs;
  const [, region = '', account = '', cluster, service] = found;
  const placed = readCatalogPlacements(catalogFilePath(env)).find(
    (entry) =>
      entry.cluster === cluster &&
      entry.service === service &&
      (entry.placement.region ?? region) === region &&
      (entry.placement.account ?? roleAccount(entry.placement.roleArn ?? '') ?? account) === account,
  );
  const access: TargetAccess = {
    account,
    region,
    ...(placed?.placement.roleArn === undefined ? {} : { roleArn: placed.placement.roleArn }),
    ...(placed?.placement.externalId === undefined ? {} : { externalId: placed.placement.externalId }),
  };
  return cliTargetClients(target).clients.client('ecs', (config) => new ECSClient(config), access, cliSessionName(env));
}
