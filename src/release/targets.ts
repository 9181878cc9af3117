import {
  acceptsTag,
  type Catalog,
  describeTagFilter,
  type EnvironmentConfig,
  placementName,
  resolvePlacement,
} from '../catalog/index.ts';
import type { Home, TargetAccess } from '../platform/target-access.ts';
import type { ReleaseTarget } from './release.ts';

/** The targets an event feeds, or why it feeds none. */
export type TargetLookup<T = ReleaseTarget> = { targets: T[]; refused?: undefined } | { targets: []; refused: string };

/** A target a GitHub release feeds, with the ECR repository its tag names an image in. */
export interface GitHubTarget {
  target: ReleaseTarget;
  repository: string;
}

/** A catalog environment with the names it is listed under. */
export interface CatalogEntry {
  service: string;
  environment: string;
  config: EnvironmentConfig;
}

/** An image pushed: its repository and tag, and the registry (account and region) it was pushed to. */
export interface PushedTo {
  repository: string;
  tag: string;
  registry: Home;
}

/** The targets a push feeds, and how its registry is read (the role the catalog names for it); or why it feeds none. */
export type PushLookup =
  | { targets: ReleaseTarget[]; registry: TargetAccess; refused?: undefined }
  | { targets: []; refused: string };

/**
 * Every catalog environment whose images are `repository` in the push's registry (an environment's
 * `registry`, default the automation's own), that push releases, and whose tag filter accepts `tag`.
 * A push from an account the catalog does not name releases nothing.
 */
export function findTargets(catalog: Catalog, push: PushedTo, home: Home): PushLookup {
  const { repository, tag, registry } = push;
  const entries = catalogEntries(catalog);
  if (!namedAccounts(entries, home).has(registry.account)) {
    return {
      targets: [],
      refused: `account ${registry.account} is not named in the catalog: a push there releases nothing`,
    };
  }
  const named = entries.filter(
    ({ config }) => config.repository === repository && sameRegistry(registryAccess(config, home), registry),
  );
  if (named.length === 0) {
    // The automation's own registry is the one a catalog without accounts means: named as before.
    const where = sameRegistry(registry, home) ? '' : ` (registry ${placementName(registry)})`;
    return { targets: [], refused: `repository ${repository} is not in the service catalog${where}` };
  }
  // A github-release environment is released by its GitHub releases only, never by a push.
  const fed = named.filter(({ config }) => config.trigger === 'push');
  if (fed.length === 0) {
    const names = named.map(({ service, environment }) => `${service}/${environment}`).join(', ');
    return {
      targets: [],
      refused: `repository ${repository} feeds only environments released from GitHub releases (${names}); a push releases nothing`,
    };
  }
  const accepted = acceptedByTag(fed, tag, `tag ${tag} of ${repository}`);
  if (accepted.refused !== undefined) return accepted;
  return { targets: accepted.targets.map(releaseTarget), registry: readerOf(fed, registry, home) };
}

/** Where an environment's images are read: its registry's account and region (default: the automation's own), and the role named for it. */
export function registryAccess(config: Pick<EnvironmentConfig, 'registry'>, home: Home): TargetAccess {
  return resolvePlacement(config.registry ?? {}, home);
}

/** The accounts the catalog names: every environment's own and its registry's (the automation's own where one names none). */
export function namedAccounts(entries: CatalogEntry[], home: Home): Set<string> {
  return new Set(
    entries.flatMap(({ config }) => [resolvePlacement(config, home).account, registryAccess(config, home).account]),
  );
}

const sameRegistry = (a: Home, b: Home) => a.account === b.account && a.region === b.region;

// Environments on one registry may name its role or not: the first role named reads it for all of them.
function readerOf(fed: CatalogEntry[], registry: Home, home: Home): TargetAccess {
  const reads = fed.map(({ config }) => registryAccess(config, home));
  return reads.find((access) => access.roleArn !== undefined) ?? { account: registry.account, region: registry.region };
}

/**
 * Every github-release environment of the services that take releases from
 * the GitHub repository `githubRepository` (owner/name, compared as GitHub
 * does: without regard to case) whose tag filter accepts `tag`; a pre-release
 * only where the environment allows pre-releases.
 */
export function findGitHubTargets(
  catalog: Catalog,
  release: { repository: string; tag: string; prerelease: boolean },
): TargetLookup<GitHubTarget> {
  const fed = gitHubEntries(catalog, release.repository);
  if (fed.length === 0) {
    return { targets: [], refused: `GitHub repository ${release.repository} releases no environment of the catalog` };
  }
  const allowed = release.prerelease ? fed.filter(({ config }) => config.prereleases) : fed;
  if (allowed.length === 0) {
    return {
      targets: [],
      refused: `${release.tag} of ${release.repository} is a pre-release and no environment it feeds takes pre-releases`,
    };
  }
  const accepted = acceptedByTag(allowed, release.tag, `GitHub release ${release.tag} of ${release.repository}`);
  if (accepted.refused !== undefined) return accepted;
  return {
    targets: accepted.targets.map((entry) => ({ target: releaseTarget(entry), repository: entry.config.repository })),
  };
}

/** The github-release environments fed by a GitHub repository (owner/name, any case). */
export function gitHubEntries(catalog: Catalog, githubRepository: string): CatalogEntry[] {
  const wanted = githubRepository.toLowerCase();
  return Object.entries(catalog.services)
    .filter(([, { github }]) => github?.repository.toLowerCase() === wanted)
    .flatMap(([service, { environments }]) =>
      Object.entries(environments)
        .filter(([, config]) => config.trigger === 'github-release')
        .map(([environment, config]) => ({ service, environment, config })),
    );
}

/** Every catalog environment a push releases (trigger `push`), as the push reconciler checks them. */
export function pushedEntries(catalog: Catalog): CatalogEntry[] {
  return catalogEntries(catalog).filter(({ config }) => config.trigger === 'push');
}

/** Every catalog environment, with the names it is listed under. */
export function catalogEntries(catalog: Catalog): CatalogEntry[] {
  return Object.entries(catalog.services).flatMap(([service, { environments }]) =>
    Object.entries(environments).map(([environment, config]) => ({ service, environment, config })),
  );
}

function acceptedByTag(fed: CatalogEntry[], tag: string, what: string): TargetLookup<CatalogEntry> {
  const accepted = fed.filter(({ config }) => acceptsTag(config.tagFilter, tag));
  if (accepted.length === 0) {
    const filters = fed.map(
      ({ service, environment, config }) => `${service}/${environment} (${describeTagFilter(config.tagFilter)})`,
    );
    return { targets: [], refused: `${what} matches no tag filter: ${filters.join(', ')}` };
  }
  return { targets: accepted };
}

function releaseTarget({ service, environment, config }: CatalogEntry): ReleaseTarget {
  return releaseTargetFor(service, environment, config);
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
