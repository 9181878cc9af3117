// The github feature's entry: what it offers the rest of the code (model, steps, use cases, ports). No SDK.
// Outside src/github/, code imports the feature only through this file and ./wiring.ts.
export { planExecutionInput } from './plan-input.ts';
export { gitHubSignature } from './signature.ts';
export { planStep } from './steps.ts';
