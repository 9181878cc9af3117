import type * as z from 'zod';
import { catalogTarget } from './lookup.ts';
import { type Catalog, catalogSchema } from './schema.ts';
import { tagPatternProblem } from './tag-filter.ts';

// Checks of a catalog file beyond each field's shape, run by the loader (the
// build, `npm run catalog`, the sandbox). They stay out of schema.ts, which
// most functions bundle for its smoke checks: the tag patterns' engine is only
// needed where tags are matched (plan) and where the catalog is checked.

type Context = z.core.$RefinementCtx<Catalog>;

const environmentPath = (service: string, environment: string) => ['services', service, 'environments', environment];

/** The catalog schema with every check across entries: the one a catalog file must pass. */
export const checkedCatalogSchema = catalogSchema.superRefine((catalog, context) => {
  checkTagPatterns(catalog, context);
  checkOneEntryPerEcsService(catalog, context);
  checkSecrets(catalog, context);
});

// A secret's dependents must be catalog targets (they are rolled by their ECS
// service), and one parameter has one rotation: two entries would race.
function checkSecrets(catalog: Catalog, context: Context): void {
  const { secrets } = catalog;
  const parameters = new Map<string, string>();
  for (const [name, secret] of Object.entries(secrets)) {
    secret.services.forEach((dependent, index) => {
      const [service = '', environment = ''] = dependent.split('/');
      if (catalogTarget(catalog, service, environment)) return;
      context.addIssue({
        code: 'custom',
        path: ['secrets', name, 'services', index],
        message: `names ${dependent}, which is not a service and environment of this catalog`,
      });
    });
    const earlier = parameters.get(secret.parameter);
    if (earlier !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['secrets', name, 'parameter'],
        message: `is also the parameter of secrets.${earlier}: each parameter may have one rotation`,
      });
    }
    parameters.set(secret.parameter, name);
  }
}

// A pattern is checked by the engine that will match it (RE2, src/catalog/tag-filter.ts).
function checkTagPatterns({ services }: Catalog, context: Context): void {
  for (const [service, { environments }] of Object.entries(services)) {
    for (const [environment, { tagFilter }] of Object.entries(environments)) {
      const problem = tagFilter?.pattern === undefined ? undefined : tagPatternProblem(tagFilter.pattern);
      if (problem === undefined) continue;
      context.addIssue({
        code: 'custom',
        path: [...environmentPath(service, environment), 'tagFilter', 'pattern'],
        message: `is not a regular expression the tag filter can use (RE2 syntax: no lookaround or backreferences): ${problem}`,
      });
    }
  }
}

// The lock, the live revision and the rollback are per ECS service: two
// entries on one service would release over and roll back each other.
function checkOneEntryPerEcsService({ services }: Catalog, context: Context): void {
  const first = new Map<string, string>();
  for (const [service, { environments }] of Object.entries(services)) {
    for (const [environment, target] of Object.entries(environments)) {
      const path = environmentPath(service, environment);
      // The same names in another account or region are another service; unnamed means the automation's own.
      const where = `${target.account ?? "the automation's account"}, ${target.region ?? 'its region'}`;
      const ecsService = `${where}/${target.cluster}/${target.service}`;
      const earlier = first.get(ecsService);
      if (earlier === undefined) {
        first.set(ecsService, path.join('.'));
        continue;
      }
      context.addIssue({
        code: 'custom',
        path,
        message: `releases to ECS service ${target.service} in cluster ${target.cluster} (${where}), as ${earlier} does: each ECS service may have one catalog entry`,
      });
    }
  }
}
