import * as z from 'zod';
import { type Env, loadConfig } from './config.ts';

// Where a release acts (issue 20): the account and region of its target's ECS
// service, and the deployment role that reaches it from the automation's own
// account. Resolved from the catalog at Plan and carried by the release, so
// every step acts where Plan decided, including the rollback.

/** The account and region a target's calls go to, and the role assumed for them (none: the automation's own credentials). */
export interface TargetAccess {
  account: string;
  region: string;
  roleArn?: string;
  externalId?: string;
}

export const targetAccessSchema: z.ZodType<TargetAccess> = z.object({
  account: z.string().regex(/^\d{12}$/),
  region: z.string().min(1),
  roleArn: z.string().min(1).optional(),
  externalId: z.string().min(1).optional(),
});

/** Who acts, for the role's session name: a release id, a rotation, a reconciler. */
export type SessionName = string;

/**
 * STS's RoleSessionName for `who` (2 to 64 of letters, digits and `+=,.@-`): the release id as it is
 * where it fits, so CloudTrail in the target account shows which release made each call.
 */
export function roleSessionName(who: SessionName): string {
  const name = who.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : `${name}--`.slice(0, 2);
}

/** `222222222222/us-west-2 as release-automation-deploy`: a target's access, in messages. */
export function describeAccess(access: TargetAccess): string {
  const role = access.roleArn === undefined ? '' : ` as ${access.roleArn.replace(/^arn:[^:]+:iam::\d{12}:role\//, '')}`;
  return `${access.account}/${access.region}${role}`;
}

/** The automation's own account and region, from its functions' environment (AUTOMATION_ACCOUNT, AWS_REGION). */
export interface Home {
  account: string;
  region: string;
}

/** Home from a function's environment; a missing or malformed variable fails with its name. */
export function homeOf(env: Env): Home {
  const { automationAccount, awsRegion } = loadConfig(env, ['automationAccount', 'awsRegion']);
  return { account: automationAccount, region: awsRegion };
}

/**
 * A port in the account and region a target lives in, reached as `who` (a release id: the role
 * session's name, so CloudTrail there shows which release made each call). Without access, the
 * automation's own account and region.
 */
export type PortFor<P> = (access: TargetAccess | undefined, who: string) => P;
