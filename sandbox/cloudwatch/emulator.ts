import type { AwsLocation } from '../aws/location.ts';
import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import { Partitions } from '../aws/partitions.ts';
import { Alarms, type AlarmsOptions } from './alarms.ts';
import { deleteAlarms, describeAlarms, setAlarmState } from './describe-alarms.ts';
import { getMetricData } from './get-metric-data.ts';
import { getMetricStatistics } from './get-metric-statistics.ts';
import { listMetrics } from './list-metrics.ts';
import { MetricStore } from './metric-store.ts';
import { putMetricAlarm } from './put-metric-alarm.ts';
import { putMetricData } from './put-metric-data.ts';
import { CLOUDWATCH_WIRE } from './wire.ts';

// CloudWatch metrics over one store, and metric alarms evaluated over it. The
// load balancers write the AWS/ApplicationELB metrics into the same store (see
// sandbox/lb/alb-metrics.ts), Step Functions its AWS/States metrics. Each
// account and region has its own metrics and alarms: the home ones are those
// given; another's are made (on the same clock, notifying the same topics) when
// a request first names it.

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

/** The CloudWatch API over a metric store and its alarms, per account and region. */
export class CloudWatchEmulator extends TableEmulator<CloudWatchModel> {
  /** The home account and region's metrics. */
  readonly store: MetricStore;
  /** The home account and region's alarms. */
  readonly alarms: Alarms;
  readonly #partitions: Partitions<CloudWatchModel>;
  /** How often every partition's alarms are evaluated, once startAlarms ran (shared with the partitions' factory). */
  readonly #schedule: { everyMs?: number };

  constructor(store: MetricStore, options: Omit<AlarmsOptions, 'store'> = { location: DEFAULT_LOCATION }) {
    const alarms = new Alarms({ ...options, store });
    const schedule: { everyMs?: number } = {};
    const partitions: Partitions<CloudWatchModel> = new Partitions(
      options.location,
      (location) => {
        const metrics = new MetricStore({ now: store.now });
        const model = { metrics, alarms: new Alarms({ ...options, location, store: metrics }) };
        if (schedule.everyMs !== undefined) model.alarms.start(schedule.everyMs);
        return model;
      },
      { metrics: store, alarms },
    );
    super(CLOUDWATCH_WIRE, CLOUDWATCH_OPERATIONS, partitions);
    this.store = store;
    this.alarms = alarms;
    this.#partitions = partitions;
    this.#schedule = schedule;
  }

  /** The metrics and alarms of an account and region (made on first use). */
  at(location: AwsLocation): CloudWatchModel {
    return this.#partitions.at(location);
  }

  /** Evaluates every account and region's alarms each `everyMs` (those made later too). */
  startAlarms(everyMs: number): void {
    this.#schedule.everyMs = everyMs;
    for (const { model } of this.#partitions.entries()) model.alarms.start(everyMs);
  }

  /** Evaluates every account and region's alarms now. */
  evaluateAlarms(): void {
    for (const { model } of this.#partitions.entries()) model.alarms.evaluate();
  }

  stopAlarms(): void {
    delete this.#schedule.everyMs;
    for (const { model } of this.#partitions.entries()) model.alarms.stop();
  }
}

const DEFAULT_LOCATION = { accountId: '000000000000', region: 'us-east-1' };
