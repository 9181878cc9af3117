// The platform's Lambda entry: a function's wiring and its entry point, the handler wrappers (middy,
// Powertools), idempotency and the secret reader. Carries SDKs: for handlers and adapters.

export { RoleSessions, TargetClients, wiredTargetClients } from './assumed-roles.ts';
export { httpLambdaHandler } from './http-lambda.ts';
export { idempotencyStore, idempotentOn } from './idempotency.ts';
export type { Logged } from './lambda.ts';
export { functionLogger, functionMetrics, lambdaHandler } from './lambda.ts';
export type { AwsClientConfig, AwsKeys, Handler, Wiring } from './lambda-entry.ts';
export { lambdaEntry } from './lambda-entry.ts';
export { secretParameter } from './secret-parameter.ts';
