// The scan gate reads ECR's findings of the image it judges: plan (pushes,
// GitHub releases) and slackCommand (`/release deploy`) may, on the catalog's
// repositories only (those it reads with its own credentials); no other function reads them.
import type { Catalog } from '../../src/catalog/index.ts';
import { allows, type Check, type PackagedTemplate } from './template.ts';

const ACTION = 'ecr:DescribeImageScanFindings';
const READERS = ['PlanLambdaFunction', 'SlackCommandLambdaFunction'];

/** Checks only the gate's functions read scan findings, each on exactly the catalog's repositories. */
export function checkScanGate({ lambdas, statementsOf }: PackagedTemplate, catalog: Catalog, check: Check): void {
  // A repository behind its registry's role is read through that role, which grants it there; none
  // left, the stack names one no repository can be (config/build.cjs).
  const repositories = new Set(
    Object.values(catalog.services).flatMap(({ environments }) =>
      Object.values(environments).flatMap((environment) =>
        environment.registry?.roleArn ? [] : [environment.repository],
      ),
    ),
  );
  const names = repositories.size > 0 ? [...repositories] : ['none-without-a-role!'];
  const expected = names.map((name) => `:repository/${name}`).sort();
  for (const functionId of READERS) {
    const granting = statementsOf(functionId).filter((statement) => allows(statement, ACTION));
    const resources = granting.flatMap((statement) => [statement.Resource ?? []].flat()).map((r) => JSON.stringify(r));
    const named = resources.map((resource) => resource.match(/:repository\/[^"]+/)?.[0] ?? resource).sort();
    check(
      granting.length > 0 && JSON.stringify([...new Set(named)]) === JSON.stringify(expected),
      `the ${functionId} role reads scan findings (${ACTION}) of the catalog's repositories only (${named.join(', ') || 'none'})`,
    );
  }
  const others = lambdas
    .map(([id]) => id)
    .filter((id) => !READERS.includes(id) && statementsOf(id).some((statement) => allows(statement, ACTION)));
  check(others.length === 0, `no other function reads scan findings (${others.join(', ') || 'none does'})`);
}
