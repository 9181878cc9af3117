import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import { Alarms, type AlarmsOptions } from './alarms.ts';
import { deleteAlarms, describeAlarms, setAlarmState } from './describe-alarms.ts';
import { getMetricData } from './get-metric-data.ts';
import { getMetricStatistics } from './get-metric-statistics.ts';
import { listMetrics } from './list-metrics.ts';
import type { MetricStore } from './metric-store.ts';
import { putMetricAlarm } from './put-metric-alarm.ts';
import { putMetricData } from './put-metric-data.ts';
import { CLOUDWATCH_WIRE } from './wire.ts';

// CloudWatch metrics over one store, and metric alarms evaluated over it. The
// load balancers write the AWS/ApplicationELB metrics into the same store (see
// sandbox/lb/alb-metrics.ts), Step Functions its AWS/States metrics.

/** What CloudWatch's operations act on: the metrics and the alarms over them. */
export interface CloudWatchModel {
  metrics: MetricStore;
  alarms: Alarms;
}

/** The CloudWatch operations the sandbox implements (sandbox/cloudwatch/README.md lists them). */
export const CLOUDWATCH_OPERATIONS: OperationTable<CloudWatchModel> = {
  GetMetricData: ({ metrics }, reader) => getMetricData(metrics, reader),
  GetMetricStatistics: ({ metrics }, reader) => getMetricStatistics(metrics, reader),
  PutMetricData: ({ metrics }, reader) => putMetricData(metrics, reader),
  ListMetrics: ({ metrics }, reader) => listMetrics(metrics, reader),
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  DeleteAlarms: deleteAlarms,
  SetAlarmState: setAlarmState,
};

/** The CloudWatch API over a metric store and its alarms. */
export class CloudWatchEmulator extends TableEmulator<CloudWatchModel> {
  readonly store: MetricStore;
  readonly alarms: Alarms;

  constructor(store: MetricStore, options: Omit<AlarmsOptions, 'store'> = { location: DEFAULT_LOCATION }) {
    const alarms = new Alarms({ ...options, store });
    super(CLOUDWATCH_WIRE, CLOUDWATCH_OPERATIONS, { metrics: store, alarms });
    this.store = store;
    this.alarms = alarms;
  }
}

const DEFAULT_LOCATION = { accountId: '000000000000', region: 'us-east-1' };
