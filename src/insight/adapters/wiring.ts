import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../platform/config.ts';
import type { Wiring } from '../../platform/wiring.ts';
import { type ChangeTime, readChangeTime } from '../change-time.ts';
import type { ImageAnnotations } from '../ports/image-annotations.ts';
import type { LedgerStore } from '../ports/ledger.ts';
import type { RecordLedgerPorts } from '../record-ledger.ts';
import { sfnExecutionHistory } from './execution-history.ts';
import { ecrImageAnnotations } from './image-annotations.ts';
import { createDynamoLedgerStore } from './ledger-store.ts';

/** The ledger over `auditTable` through `client` (whose owner destroys it). */
export function createLedgerStore(auditTable: string, client = new DynamoDBClient({})): LedgerStore {
  return createDynamoLedgerStore(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    auditTable,
  );
}

/** An image's OCI annotations in ECR. */
export function wiredImageAnnotations(wiring: Wiring): ImageAnnotations {
  return ecrImageAnnotations(new ECRClient(wiring.aws));
}

/** When a released image's change was made, from its annotations in ECR (finish's `changeTime`). */
export function wiredChangeTime(
  wiring: Wiring,
): (image: { repository: string; digest: string }) => Promise<ChangeTime | undefined> {
  const annotations = wiredImageAnnotations(wiring);
  return (image) => readChangeTime(annotations, image);
}

/** The ledger over AUDIT_TABLE, to read. */
export function wiredLedgerStore(wiring: Wiring): LedgerStore {
  return createLedgerStore(loadConfig(wiring.env, ['auditTable']).auditTable, new DynamoDBClient(wiring.aws));
}

/** The ledger over AUDIT_TABLE and the executions' histories, as finish and rotate-notify write them. */
export function wiredLedgerPorts(wiring: Wiring): RecordLedgerPorts {
  const { auditTable } = loadConfig(wiring.env, ['auditTable']);
  return {
    ledger: createLedgerStore(auditTable, new DynamoDBClient(wiring.aws)),
    history: sfnExecutionHistory(new SFNClient(wiring.aws)),
    lambda: { memoryMb: Number(wiring.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 256), billedMs: 200 },
  };
}
