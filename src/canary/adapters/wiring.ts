import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { PortFor } from '../../platform/index.ts';
import { type Wiring, wiredTargetClients } from '../../platform/wiring.ts';
import type { MetricsPort } from '../ports/metrics.ts';
import { createCloudWatchMetricsAdapter } from './cloudwatch-metrics.ts';

/**
 * CloudWatch where a target's load balancer publishes: its account and region, through its role's
 * session for the release (the automation's own without a role).
 */
export function wiredMetricsFor(wiring: Wiring): PortFor<MetricsPort> {
  const clients = wiredTargetClients(wiring);
  return (access, who) =>
    createCloudWatchMetricsAdapter(clients.client('cloudwatch', (config) => new CloudWatchClient(config), access, who));
}
