// The catalog feature's entry: what it offers the rest of the code (model, steps, use cases, ports). No SDK.
// Outside src/catalog/, code imports the feature only through this file and ./wiring.ts.

export type { HomePlacement, Placed, Placement, Registry, ResolvedPlacement } from './account.ts';
export {
  ACCOUNT_ID,
  catalogAccounts,
  catalogRoleArns,
  namedAccount,
  placementName,
  REGION,
  ROLE_ARN,
  resolvePlacement,
  roleAccount,
} from './account.ts';
export { analysisSchema } from './analysis.ts';
export { CaBundleFileError, caBundleFiles, caBundles } from './ca-bundle-files.ts';
export { catalogFilePath } from './file.ts';
export { interpolate } from './interpolate.ts';
export { CatalogError, loadCatalogFile, parseCatalog } from './load.ts';
export { catalogEnvironment, catalogService, catalogTarget } from './lookup.ts';
export type { ScanAllow, ScanPolicy } from './scan.ts';
export { allowExpiry, describeScanGate, MAX_SCAN_WAIT_SECONDS, scanSchema } from './scan.ts';
export type { Catalog, EnvironmentConfig, SmokeCheck } from './schema.ts';
export {
  ECR_REPOSITORY,
  GITHUB_REPOSITORY,
  NAME,
  nameSchema,
  smokeCheckBudgetSeconds,
  smokeCheckSchema,
} from './schema.ts';
export type { CaBundleSource, PostgresTargetConfig, SecretConfig } from './secrets.ts';
export { DEFAULT_ALPHABET, DEFAULT_KEY_BYTES, DEFAULT_LENGTH, isCharacterSecret } from './secrets.ts';
export type { NativeStrategy, Strategy, StrategyConfig } from './strategy.ts';
export {
  bakeMinutesSchema,
  canaryShiftSchema,
  checkStrategy,
  describeStrategy,
  isNative,
  linearShiftSchema,
  strategyFields,
  strategySchema,
  withStrategyDefaults,
} from './strategy.ts';
export { acceptsTag, describeTagFilter } from './tag-filter.ts';
export type { Automation, Json, TargetRoleTemplate } from './target-role.ts';
export {
  DEFAULT_TARGET_ROLE_NAME,
  FORWARDED_ECS_EVENTS,
  TARGET_FUNCTIONS,
  TargetRoleError,
  targetRoleAccount,
  targetRoleTemplate,
} from './target-role.ts';
