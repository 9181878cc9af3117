import type { Catalog, EnvironmentConfig } from '../catalog/schema.ts';
import type { ReleaseTarget } from './release.ts';
import { acceptsTag, describeTagFilter } from './tag-filter.ts';

/** The targets a push feeds, or why it feeds none. */
export type TargetLookup = { targets: ReleaseTarget[]; refused?: undefined } | { targets: []; refused: string };

/** Every catalog environment whose repository is `repository` and whose tag filter accepts `tag`. */
export function findTargets(catalog: Catalog, repository: string, tag: string): TargetLookup {
  const fed = Object.entries(catalog.services).flatMap(([service, { environments }]) =>
    Object.entries(environments)
      .filter(([, config]) => config.repository === repository)
      .map(([environment, config]) => ({ service, environment, config })),
  );
  if (fed.length === 0) return { targets: [], refused: `repository ${repository} is not in the service catalog` };
  const accepted = fed.filter(({ config }) => acceptsTag(config.tagFilter, tag));
  if (accepted.length === 0) {
    const filters = fed.map(
      ({ service, environment, config }) => `${service}/${environment} (${describeTagFilter(config.tagFilter)})`,
    );
    return { targets: [], refused: `tag ${tag} of ${repository} matches no tag filter: ${filters.join(', ')}` };
  }
  return {
    targets: accepted.map(({ service, environment, config }) => releaseTargetFor(service, environment, config)),
  };
}

/** One catalog environment as a release sees it. */
export function releaseTargetFor(service: string, environment: string, config: EnvironmentConfig): ReleaseTarget {
  return {
    service,
    environment,
    cluster: config.cluster,
    ecsService: config.service,
    container: config.container,
    strategy: config.strategy,
    ...(config.canary === undefined ? {} : { canary: config.canary }),
    ...(config.linear === undefined ? {} : { linear: config.linear }),
    ...(config.bakeMinutes === undefined ? {} : { bakeMinutes: config.bakeMinutes }),
    ...(config.loadBalancer === undefined ? {} : { loadBalancer: config.loadBalancer }),
    ...(config.analysis === undefined ? {} : { analysis: config.analysis }),
    ...(config.testSmoke === undefined ? {} : { testSmoke: config.testSmoke }),
    smoke: config.smoke,
    stabilityDeadlineSeconds: config.stabilityDeadlineSeconds,
    slackChannel: config.slackChannel,
    ...(config.approval === 'slack'
      ? { approval: { via: 'slack' as const, timeoutSeconds: config.approvalTimeoutSeconds } }
      : {}),
  };
}
