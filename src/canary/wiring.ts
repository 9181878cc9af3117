// The canary feature's wiring entry: its real adapters, built from a function's wiring. Carries SDKs:
// for handlers, the sandbox and other features' adapters, never a feature's core.
export { createCloudWatchMetricsAdapter } from './adapters/cloudwatch-metrics.ts';
export { wiredMetricsFor } from './adapters/wiring.ts';
