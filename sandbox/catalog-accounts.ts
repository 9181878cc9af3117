import { CatalogError, loadCatalogFile } from '../src/catalog/index.ts';
import type { AwsLocation } from './aws/location.ts';
import { catalogLocations, type EventForwarding } from './eventbus/forwarding.ts';
import { catalogRoles } from './iam/catalog-roles.ts';
import type { IamRoles } from './iam/roles.ts';
import { seedRoles } from './iam/seed.ts';

// What the target and tools accounts of the catalog would have set up in AWS
// (README, "Many accounts and regions"): the roles it names, trusting the
// automation's account, and the rule forwarding their ECR and ECS events to
// the automation's bus. A catalog the sandbox cannot read (`release doctor`'s
// tests start it with a broken one on purpose) sets up nothing: its functions
// will say why when they read it.

/** Creates the catalog's roles in `roles` and has its accounts and regions forward their events; returns the roles' ARNs. */
export function setUpCatalogAccounts(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  sandbox: { home: AwsLocation; roles: IamRoles; forwarding: EventForwarding; print: (line: string) => void },
): string[] {
  let catalog: ReturnType<typeof loadCatalogFile>;
  try {
    catalog = loadCatalogFile(file, env);
  } catch (error) {
    if (!(error instanceof CatalogError || (error as NodeJS.ErrnoException).code === 'ENOENT')) throw error;
    sandbox.print(
      `  catalog ${file} not read, so no account of it forwards events nor has its roles: ${(error as Error).message}`,
    );
    return [];
  }
  const roles = seedRoles(sandbox.roles, catalogRoles(catalog, sandbox.home.accountId));
  sandbox.forwarding.forwardFrom(catalogLocations(catalog, sandbox.home));
  return roles.map((role) => role.arn);
}
