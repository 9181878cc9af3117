// The dashboard feature's wiring entry: its adapters, which carry SDKs. For the
// CLI and the sandbox, never a feature's core.
export { type AwsDashboardClients, createAwsDashboardSource } from './adapters/aws-source.ts';
