import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Catalog } from '../../catalog/index.ts';
import { loadConfig } from '../../platform/config.ts';
import { homeOf } from '../../platform/target-access.ts';
import { type TargetClients, type Wiring, wiredTargetClients } from '../../platform/wiring.ts';
import type { WaitPorts } from '../deployment-waits.ts';
import type { PlanPorts } from '../plan.ts';
import type { EcsPort } from '../ports/ecs.ts';
import type { RegistryPort } from '../ports/registry.ts';
import type { ReleaseStore } from '../ports/release-store.ts';
import type { ScanFindingsPort } from '../ports/scan-findings.ts';
import type { PortFor, ReachCheck } from '../ports/targets.ts';
import { createDeploymentWaitStore, createTaskCallbacks } from './deployment-waits.ts';
import { createEcrRegistry, type EcrClients } from './ecr.ts';
import { createEcrScanFindings } from './ecr-scan-findings.ts';
import { createEcsAdapter } from './ecs.ts';
import { createReleaseStore } from './release-store-client.ts';

// The release feature's real adapters, built from a function's wiring: once
// per cold start in Lambda, once per sandbox in the sandbox.

/** The release store over RELEASES_TABLE and LOCKS_TABLE. */
export function wiredReleaseStore(wiring: Wiring): ReleaseStore {
  return createReleaseStore(loadConfig(wiring.env, ['releasesTable', 'locksTable']), new DynamoDBClient(wiring.aws));
}

/** ECS in the automation's own account and region. */
export function wiredEcs(wiring: Wiring): EcsPort {
  return createEcsAdapter(new ECSClient(wiring.aws));
}

/** ECS where a target lives, as the steps use it: its account and region, through its role's session for the release. */
export function wiredEcsFor(wiring: Wiring): PortFor<EcsPort> {
  const clients = wiredTargetClients(wiring);
  return (access, who) => createEcsAdapter(clients.client('ecs', (config) => new ECSClient(config), access, who));
}

/** Plan's check that a target's role can be assumed (the automation's own credentials need none). */
export function wiredReach(wiring: Wiring): ReachCheck {
  const clients = wiredTargetClients(wiring);
  return (access, who) => clients.check(access, who);
}

/** ECR clients per registry: its region, and its role's session for whoever reads. */
export function wiredEcrClients(targets: TargetClients): EcrClients {
  return (registry, who) => targets.client('ecr', (config) => new ECRClient(config), registry, who);
}

/** ECR, as plan and `/release deploy` use it (the adapter remembers repository URIs); other accounts' through `targets`. */
export function wiredRegistry(wiring: Wiring, targets: TargetClients = wiredTargetClients(wiring)): RegistryPort {
  return createEcrRegistry(new ECRClient(wiring.aws), wiredEcrClients(targets));
}

/** ECR's scan findings, as plan's and `/release deploy`'s scan gate read them; other accounts' through `targets`. */
export function wiredScanFindings(
  wiring: Wiring,
  targets: TargetClients = wiredTargetClients(wiring),
): ScanFindingsPort {
  return createEcrScanFindings(new ECRClient(wiring.aws), wiredEcrClients(targets));
}

/** What plan reads, over the AWS `wiring` reaches: ECS, and each registry's ECR through the role the catalog names for it. */
export function wiredPlanPorts(wiring: Wiring, catalog: Catalog): PlanPorts {
  const targets = wiredTargetClients(wiring);
  return {
    catalog,
    home: homeOf(wiring.env),
    ecsFor: wiredEcsFor(wiring),
    reach: wiredReach(wiring),
    registry: wiredRegistry(wiring, targets),
    scans: wiredScanFindings(wiring, targets),
    now: () => new Date(),
  };
}

/**
 * What awaitDeployment, ecsEvents and reconcileWaits settle waits with: ECS, the
 * waits table, Step Functions' callbacks, and the release store (a promote or
 * abort asked), built on the first look that reads it.
 */
export function wiredWaitPorts(wiring: Wiring): WaitPorts {
  const { deploymentWaitsTable } = loadConfig(wiring.env, ['deploymentWaitsTable']);
  let store: ReleaseStore | undefined;
  return {
    ecsFor: wiredEcsFor(wiring),
    now: () => new Date(),
    controls: () => (store ??= wiredReleaseStore(wiring)),
    waits: createDeploymentWaitStore(
      DynamoDBDocumentClient.from(new DynamoDBClient(wiring.aws), { marshallOptions: { removeUndefinedValues: true } }),
      deploymentWaitsTable,
    ),
    callbacks: createTaskCallbacks(new SFNClient(wiring.aws)),
  };
}
