import * as z from 'zod';

// Where a catalog target lives (issue 20): the AWS account and region of its
// ECS service, the deployment role the automation assumes there, and the
// account and region of the ECR registry its images come from. Every field is
// optional and defaults to the automation's own account and region, so a
// catalog written for one account reads as before.

/** An AWS account id: twelve digits (quote it in YAML, or a leading 0 is lost). */
export const ACCOUNT_ID = /^\d{12}$/;

/** An AWS region's code: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-5`. */
export const REGION = /^[a-z]{2}(?:-(?:gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/;

/** An IAM role's ARN; group 1 is its account, group 2 its path and name. */
export const ROLE_ARN =
  /^arn:aws(?:-cn|-us-gov|-iso(?:-[a-z])?)?:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/;

/** STS's ExternalId: 2 to 1,224 characters of letters, digits and `+=,.@:/-_`. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const accountSchema = z
  .string({ error: 'must be a quoted string of twelve digits (an AWS account id)' })
  .regex(ACCOUNT_ID, { message: 'is not an AWS account id (twelve digits, quoted)' });
const regionSchema = z.string().regex(REGION, { message: 'is not an AWS region (e.g. us-west-2)' });
const roleArnSchema = z
  .string()
  .regex(ROLE_ARN, { message: 'is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)' });
const externalIdSchema = z
  .string()
  .regex(EXTERNAL_ID, { message: 'is not an STS external id (2 to 1224 of letters, digits and +=,.@:/-_)' });

/** The account of an IAM role's ARN, or undefined when it is not one. */
export function roleAccount(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[1];
}

/** Where an environment's ECS service lives and how the automation reaches it; the fields of a catalog environment. */
export const placementFields = {
  // The target's account and region; default: the automation's own.
  account: accountSchema.optional(),
  region: regionSchema.optional(),
  // The deployment role the automation assumes in that account (`npx release target-role` prints its template).
  roleArn: roleArnSchema.optional(),
  externalId: externalIdSchema.optional(),
};

/** Where an environment's images are stored: the ECR registry's account and region (default: the automation's own). */
export const registrySchema = z.strictObject({
  account: accountSchema,
  region: regionSchema.optional(),
  // A role in the registry's account that may read the repository; without one, the repository's
  // policy must let the automation's functions read it (README, "Many accounts and regions").
  roleArn: roleArnSchema.optional(),
  externalId: externalIdSchema.optional(),
});

export type Registry = z.infer<typeof registrySchema>;

/** The placement fields of an environment. */
export interface Placement {
  account?: string | undefined;
  region?: string | undefined;
  roleArn?: string | undefined;
  externalId?: string | undefined;
}

/**
 * Why an environment's (or a registry's) placement cannot be used, or undefined: a role in another
 * account than the one named, an external id without a role to pass it to.
 */
export function placementProblems(placement: Placement): { field: keyof Placement; message: string }[] {
  const problems: { field: keyof Placement; message: string }[] = [];
  const ofRole = placement.roleArn === undefined ? undefined : roleAccount(placement.roleArn);
  if (ofRole !== undefined && placement.account !== undefined && ofRole !== placement.account) {
    problems.push({
      field: 'roleArn',
      message: `is a role in account ${ofRole}, not in ${placement.account} (the account named): the role must be in the target's account`,
    });
  }
  if (placement.externalId !== undefined && placement.roleArn === undefined) {
    problems.push({ field: 'externalId', message: 'is passed when assuming roleArn: name the role too' });
  }
  return problems;
}

/** The automation's own account and region: where a target without placement fields lives. */
export interface HomePlacement {
  account: string;
  region: string;
}

/** A target's placement resolved against the automation's own: its account and region, and the role if it names one. */
export interface ResolvedPlacement {
  account: string;
  region: string;
  roleArn?: string;
  externalId?: string;
}

/**
 * The account and region a target acts in: the role's account where only the role is named, else the
 * account named, else the automation's own; the region named, else the automation's own.
 */
export function resolvePlacement(placement: Placement, home: HomePlacement): ResolvedPlacement {
  const account =
    placement.account ?? (placement.roleArn === undefined ? undefined : roleAccount(placement.roleArn)) ?? home.account;
  return {
    account,
    region: placement.region ?? home.region,
    ...(placement.roleArn === undefined ? {} : { roleArn: placement.roleArn }),
    ...(placement.externalId === undefined ? {} : { externalId: placement.externalId }),
  };
}

/** `111111111111/us-east-1`: how a placement is named in messages and lock keys. */
export const placementName = ({ account, region }: HomePlacement): string => `${account}/${region}`;

/** The account a placement names (its own, else its role's), or undefined: the automation's own. */
export function namedAccount(placement: Placement): string | undefined {
  return placement.account ?? (placement.roleArn === undefined ? undefined : roleAccount(placement.roleArn));
}

/** What an environment names of where it lives and where its images are; the catalog's environments are these. */
export interface Placed extends Placement {
  registry?: Registry | undefined;
}

/**
 * Every account a catalog's environments name, for their services or their registries, sorted. The automation's
 * own is among them only when named: it is not known until deploy time.
 */
export function catalogAccounts(environments: Iterable<Placed>): string[] {
  const accounts = new Set<string>();
  for (const environment of environments) {
    for (const placement of [environment, environment.registry]) {
      const account = placement === undefined ? undefined : namedAccount(placement);
      if (account !== undefined) accounts.add(account);
    }
  }
  return [...accounts].sort();
}

/** Every role a catalog's environments name (`roleArn`, `registry.roleArn`), sorted: all the automation may assume. */
export function catalogRoleArns(environments: Iterable<Placed>): string[] {
  const roles = new Set<string>();
  for (const environment of environments) {
    for (const roleArn of [environment.roleArn, environment.registry?.roleArn]) if (roleArn) roles.add(roleArn);
  }
  return [...roles].sort();
}
