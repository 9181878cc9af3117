import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import { describeAlarms } from './describe-alarms.ts';
import { getMetricData } from './get-metric-data.ts';
import { getMetricStatistics } from './get-metric-statistics.ts';
import { listMetrics } from './list-metrics.ts';
import type { MetricStore } from './metric-store.ts';
import { putMetricData } from './put-metric-data.ts';
import { CLOUDWATCH_WIRE } from './wire.ts';

// CloudWatch metrics over one store. The load balancers write the
// AWS/ApplicationELB metrics into the same store (see sandbox/lb/alb-metrics.ts).

/** The CloudWatch operations the sandbox implements (sandbox/cloudwatch/README.md lists them). */
export const CLOUDWATCH_OPERATIONS: OperationTable<MetricStore> = {
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  PutMetricData: putMetricData,
  ListMetrics: listMetrics,
  DescribeAlarms: describeAlarms,
};

/** The CloudWatch API over a metric store. */
export class CloudWatchEmulator extends TableEmulator<MetricStore> {
  readonly store: MetricStore;

  constructor(store: MetricStore) {
    super(CLOUDWATCH_WIRE, CLOUDWATCH_OPERATIONS, store);
    this.store = store;
  }
}
