import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import type { Catalog } from '../../catalog/index.ts';
import { loadConfig } from '../../platform/config.ts';
import { stateMachineArn } from '../../platform/state-machine-arn.ts';
import { homeOf } from '../../platform/target-access.ts';
import { type Wiring, wiredTargetClients } from '../../platform/wiring.ts';
import type { ReconcilePorts } from '../reconcile.ts';
import { createEcrPushes } from './ecr-pushes.ts';
import { createPushStarter } from './push-starter.ts';
import { createReconcileMark } from './reconcile-mark.ts';
import { createReleaseStore } from './release-store-client.ts';
import { wiredEcrClients } from './wiring.ts';

// Who reads other accounts' registries, in their CloudTrail: the role's session name.
const RECONCILER_SESSION = 'push-reconciler';

/**
 * What the push reconciler touches, over the AWS `wiring` reaches: built once,
 * with the release state machine's ARN read from the function's own on its first run.
 */
export function wiredReconcilePorts(wiring: Wiring, catalog: Catalog): (context: Context) => ReconcilePorts {
  const config = loadConfig(wiring.env, ['releasesTable', 'locksTable', 'releaseStateMachineName']);
  const dynamodb = new DynamoDBClient(wiring.aws);
  const sfn = new SFNClient(wiring.aws);
  const registries = wiredEcrClients(wiredTargetClients(wiring));
  const base = {
    catalog,
    home: homeOf(wiring.env),
    images: createEcrPushes(new ECRClient(wiring.aws), (registry) => registries(registry, RECONCILER_SESSION)),
    store: createReleaseStore(config, dynamodb),
    mark: createReconcileMark(config.locksTable, dynamodb),
    now: () => new Date(),
  };
  let ports: ReconcilePorts | undefined;
  return (context) => {
    ports ??= {
      ...base,
      starter: createPushStarter(sfn, stateMachineArn(context.invokedFunctionArn, config.releaseStateMachineName)),
    };
    return ports;
  };
}
