import { type Catalog, ROLE_ARN } from '../../src/catalog/index.ts';
import type { RoleSpec } from './seed.ts';

// The roles the catalog names (each environment's deployment role, each
// registry's reader), as the target and tools accounts would have made them
// from `npx release target-role`: in the role's account, trusting the
// automation's account (its functions sign as that account's root in the
// sandbox), with the catalog's external id as an sts:ExternalId condition.

/** One RoleSpec per role ARN the catalog names, trusting `automationAccount`; the first external id named for a role is its condition. */
export function catalogRoles(catalog: Catalog, automationAccount: string): RoleSpec[] {
  const specs = new Map<string, RoleSpec>();
  const named = Object.values(catalog.services).flatMap(({ environments }) =>
    Object.values(environments).flatMap((config) => [config, ...(config.registry ? [config.registry] : [])]),
  );
  for (const { roleArn, externalId } of named) {
    const parts = roleArn === undefined ? null : ROLE_ARN.exec(roleArn);
    if (!parts?.[1] || !parts[2] || roleArn === undefined || specs.has(roleArn)) continue;
    const slash = parts[2].lastIndexOf('/');
    specs.set(roleArn, {
      accountId: parts[1],
      roleName: parts[2].slice(slash + 1),
      ...(slash < 0 ? {} : { path: `/${parts[2].slice(0, slash + 1)}` }),
      trustedPrincipals: [`arn:aws:iam::${automationAccount}:root`],
      ...(externalId === undefined ? {} : { externalId }),
    });
  }
  return [...specs.values()];
}
