import { CatalogError, loadCatalogFile, resolvePlacement } from '../src/catalog/index.ts';
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

/** Where a catalog's ECS service runs, and where its images are. */
export interface ServicePlacement {
  location: AwsLocation;
  imageLocation: AwsLocation;
}

/**
 * Where the catalog puts each ECS service (by service name) and its images: its account and region,
 * and its registry's; the sandbox's own where it names none. Empty when the catalog cannot be read
 * (setUpCatalogAccounts says why). The demo's services are seeded where the catalog says.
 */
export function catalogPlacements(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  home: AwsLocation,
): Map<string, ServicePlacement> {
  const placements = new Map<string, ServicePlacement>();
  let catalog: ReturnType<typeof loadCatalogFile>;
  try {
    catalog = loadCatalogFile(file, env);
  } catch {
    return placements;
  }
  const own = { account: home.accountId, region: home.region };
  const at = ({ account, region }: { account: string; region: string }): AwsLocation => ({
    accountId: account,
    region,
  });
  for (const { environments } of Object.values(catalog.services)) {
    for (const config of Object.values(environments)) {
      if (placements.has(config.service)) continue;
      const location = at(resolvePlacement(config, own));
      const imageLocation = config.registry === undefined ? at(own) : at(resolvePlacement(config.registry, own));
      placements.set(config.service, { location, imageLocation });
    }
  }
  return placements;
}
