import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import type { Catalog } from '../../catalog/index.ts';
import { wiredLedgerStore } from '../../insight/wiring.ts';
import { loadConfig } from '../../platform/config.ts';
import { homeOf } from '../../platform/index.ts';
import { stateMachineArn } from '../../platform/state-machine-arn.ts';
import { type Wiring, wiredTargetClients } from '../../platform/wiring.ts';
import {
  createReleaseWorkflow,
  wiredEcsFor,
  wiredRegistry,
  wiredReleaseStore,
  wiredScanFindings,
} from '../../release/wiring.ts';
import { createRotationWorkflow } from '../../rotation/wiring.ts';
import type { ChatCommandPorts } from '../run-command.ts';
import { wiredApprovals, wiredChat } from './wiring.ts';

/**
 * What `/release` commands touch, over the AWS `wiring` reaches: built once,
 * with the state machines' ARNs read from the function's own on its first request.
 */
export function wiredCommandPorts(
  wiring: Wiring,
  catalog: Catalog,
  warn: (message: string) => void,
): (context: Context) => ChatCommandPorts {
  const names = loadConfig(wiring.env, ['releaseStateMachineName', 'rotationStateMachineName']);
  const sfn = new SFNClient(wiring.aws);
  const targets = wiredTargetClients(wiring);
  const base = {
    catalog,
    chat: wiredChat(wiring),
    approvals: wiredApprovals(wiring),
    releases: wiredReleaseStore(wiring),
    ledger: wiredLedgerStore(wiring),
    ecsFor: wiredEcsFor(wiring),
    home: homeOf(wiring.env),
    registry: wiredRegistry(wiring, targets),
    scans: wiredScanFindings(wiring, targets),
    now: () => new Date(),
    warn,
  };
  let ports: ChatCommandPorts | undefined;
  return (context) => {
    ports ??= {
      ...base,
      workflow: createReleaseWorkflow(sfn, stateMachineArn(context.invokedFunctionArn, names.releaseStateMachineName)),
      rotations: createRotationWorkflow(
        sfn,
        stateMachineArn(context.invokedFunctionArn, names.rotationStateMachineName),
      ),
    };
    return ports;
  };
}
