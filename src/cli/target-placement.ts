import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type EnvironmentConfig, resolvePlacement } from '../catalog/index.ts';
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

/** Asks STS which account the CLI acts in (the sandbox answers 000000000000), once per run. */
export async function cliPlacement(target: Target, env: NodeJS.ProcessEnv = process.env): Promise<CliPlacement> {
  const region = await target.ecs.config.region();
  const config: AwsClientConfig = {
    region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    credentials: () => target.ecs.config.credentials(),
  };
  const sts = new STSClient({ ...config, maxAttempts: 3 });
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  if (Account === undefined) throw new Error(`STS did not say which account the CLI acts in at ${target.description}`);
  const home = { account: Account, region };
  const clients = new TargetClients(config, new RoleSessions({ sts }));
  return {
    home,
    who: cliSessionName(env),
    clients,
    accessOf: (environment) => resolvePlacement(environment, home),
    registryOf: (environment) =>
      environment.registry === undefined ? { ...home } : resolvePlacement(environment.registry, home),
  };
}
