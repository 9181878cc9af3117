// Many accounts (issue 20): the functions may assume the catalog's deployment
// roles and no other, and the default bus takes events from the catalog's
// accounts and no other. Either with "*" would open the automation to every
// account of AWS.
import { type Catalog, catalogAccounts, catalogRoleArns } from '../../src/catalog/index.ts';
import { allows, type Check, type PackagedTemplate } from './template.ts';

const environmentsOf = (catalog: Catalog) =>
  Object.values(catalog.services).flatMap((service) => Object.values(service.environments));

/** Checks sts:AssumeRole names only roles and the bus policy only the catalog's accounts, never "*". */
export function checkAccounts(template: PackagedTemplate, catalog: Catalog, check: Check): void {
  const assume = template.statements.filter((statement) => allows(statement, 'sts:AssumeRole'));
  const assumed = assume.flatMap((statement) => [statement.Resource ?? []].flat());
  check(
    assumed.every((resource) => typeof resource !== 'string' || !resource.includes('*')),
    'no role may assume every role: sts:AssumeRole names roles, never "*"',
  );
  const roles = catalogRoleArns(environmentsOf(catalog));
  check(
    roles.every((role) => assume.length > 0 && assume.every((statement) => [statement.Resource].flat().includes(role))),
    `the functions acting in a target may assume the catalog's ${roles.length} deployment role(s)`,
  );

  const policies = template.ofType('AWS::Events::EventBusPolicy');
  const principals = policies.map(([, policy]) => {
    const statement = policy.Properties.Statement as { Principal?: unknown } | undefined;
    return JSON.stringify(statement?.Principal ?? policy.Properties.Principal ?? '');
  });
  check(
    principals.every((principal) => !principal.includes('*')),
    'the event bus policies name accounts, never a "*" principal',
  );
  const accounts = catalogAccounts(environmentsOf(catalog));
  check(
    accounts.every((account) => principals.some((principal) => principal.includes(`::${account}:root`))) &&
      principals.every((principal) => accounts.some((account) => principal.includes(`::${account}:root`))),
    `the default bus takes events from exactly the catalog's accounts (${accounts.join(', ') || 'none'})`,
  );
}
