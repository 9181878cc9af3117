import type { Dimension, MetricStore } from '../cloudwatch/metric-store.ts';

// What an ALB publishes to CloudWatch, written per request into the sandbox's
// metric store under the names and dimensions AWS uses (namespace
// AWS/ApplicationELB). Every metric goes under both dimension sets AWS
// publishes: {LoadBalancer, TargetGroup} and {LoadBalancer}. AWS publishes
// HTTPCode_ELB_5XX_Count per load balancer only; the sandbox adds it per
// target group too, since each of its load balancers fronts one service.
// Counts are written only when non-zero, as AWS does: no errors, no datapoint.

export const ALB_NAMESPACE = 'AWS/ApplicationELB';

/** The outcome of one request through a load balancer. */
export type AlbRequest =
  | { kind: 'target'; status: number; latencySeconds: number }
  | { kind: 'elb'; status: number; targetChosen: boolean };

export class AlbMetrics {
  readonly #store: MetricStore;

  constructor(store: MetricStore) {
    this.#store = store;
  }

  record(loadBalancer: string, targetGroup: string, outcome: AlbRequest, at = Date.now()): void {
    const both: Dimension[] = [
      { Name: 'LoadBalancer', Value: loadBalancer },
      { Name: 'TargetGroup', Value: targetGroup },
    ];
    const lbOnly: Dimension[] = [{ Name: 'LoadBalancer', Value: loadBalancer }];
    const put = (metricName: string, value: number, unit: string, dimensionSets = [both, lbOnly]) => {
      for (const dimensions of dimensionSets) {
        this.#store.put({ namespace: ALB_NAMESPACE, metricName, dimensions }, value, { at, unit });
      }
    };
    // RequestCount counts requests for which a target was chosen (AWS leaves out the rest).
    if (outcome.kind === 'target' || outcome.targetChosen) put('RequestCount', 1, 'Count');
    if (outcome.kind === 'target') {
      put('TargetResponseTime', outcome.latencySeconds, 'Seconds');
      put(`HTTPCode_Target_${Math.floor(outcome.status / 100)}XX_Count`, 1, 'Count');
      return;
    }
    if (outcome.status >= 500) put('HTTPCode_ELB_5XX_Count', 1, 'Count');
    if (outcome.status === 502) put('HTTPCode_ELB_502_Count', 1, 'Count', [lbOnly]);
    if (outcome.status === 503) put('HTTPCode_ELB_503_Count', 1, 'Count', [lbOnly]);
    if (outcome.status === 504) put('HTTPCode_ELB_504_Count', 1, 'Count', [lbOnly]);
  }
}
