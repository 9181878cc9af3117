// The platform's entry: what every feature shares that needs no SDK (config, events, waiting, ASL reading).
// Outside src/platform/, handlers, the sandbox, scripts and the CLI import the platform only through this file and ./wiring.ts.

export type { StepTable } from './asl-contract.ts';
export { contractProblems } from './asl-contract.ts';
export { lambdaTaskStates, loadDefinition, stateMachinesDir } from './asl-definition.ts';
export { loadConfig, processEnvironment } from './config.ts';
export { NamedError, TargetAccessError } from './errors.ts';
export type { Notifier } from './notifier.ts';
export { parseEvent } from './parse-event.ts';
export type { Home, PortFor, SessionName, TargetAccess } from './target-access.ts';
export { describeAccess, homeOf, roleSessionName, targetAccessSchema } from './target-access.ts';
export { pollUntil, sleep } from './wait.ts';
