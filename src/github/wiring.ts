// The github feature's wiring entry: its real adapters, built from a function's wiring. Carries SDKs:
// for handlers, the sandbox and other features' adapters, never a feature's core.
export { createReleaseEvents } from './adapters/release-events.ts';
export type { WebhookEndpointPorts } from './adapters/webhook-endpoint.ts';
export { webhookEndpoint } from './adapters/webhook-endpoint.ts';
