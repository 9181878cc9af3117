// The insight feature's wiring entry: its real adapters (DynamoDB, Step Functions, ECR). Carries SDKs:
// for handlers, the CLI and the sandbox, never a feature's core.

export { sfnExecutionHistory } from './adapters/execution-history.ts';
export { ecrImageAnnotations } from './adapters/image-annotations.ts';
export { createDynamoLedgerStore } from './adapters/ledger-store.ts';
export {
  createLedgerStore,
  wiredChangeTime,
  wiredImageAnnotations,
  wiredLedgerPorts,
  wiredLedgerStore,
} from './adapters/wiring.ts';
