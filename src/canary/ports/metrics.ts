// The CloudWatch figures a canary analysis compares, in the domain's terms:
// the same window and period for both sides; no raw timestamps.

/** Requests and the 5xx answers among them, summed over the window. */
export interface RequestCounts {
  requests: number;
  errors: number;
  /**
   * How many periods of the window had requests (ALB publishes a datapoint only then): how long
   * this side has had traffic, in the periods a per-period metric could have. Absent: not counted.
   */
  periods?: number;
}

/** One metric's value per period, oldest first; a period without data has no value. */
export interface Paired<T> {
  canary: T;
  baseline: T;
}

/** A dimension of a CloudWatch metric. */
export interface Dimension {
  name: string;
  value: string;
}

/** A custom metric as read for each side (its dimensions already resolved per side). */
export interface CustomMetricQuery {
  name: string;
  namespace: string;
  metricName: string;
  statistic: string;
  dimensions: Paired<Dimension[]>;
}

/** What to read: the load balancer, the two target groups (ARN suffixes) and the window. */
export interface CanaryMetricsQuery {
  /** `app/<name>/<id>`, the LoadBalancer dimension. */
  loadBalancer: string;
  /** `targetgroup/<name>/<id>`, the TargetGroup dimensions. */
  targetGroups: Paired<string>;
  start: Date;
  end: Date;
  /** The baseline's own window, when it is not the canary's (compared with itself before the release). */
  baselineWindow?: { start: Date; end: Date };
  /**
   * A window before the baseline's, whose TargetResponseTime on the baseline target group (the stable
   * revision then) shows the latency's own noise: read when given, the other metrics not.
   */
  historyWindow?: { start: Date; end: Date };
  periodSeconds: number;
  custom: CustomMetricQuery[];
}

/** What was read, per side. */
export interface CanaryMetrics {
  counts: Paired<RequestCounts>;
  /** TargetResponseTime per period, seconds. */
  latency: Paired<number[]>;
  /** The baseline's TargetResponseTime per period over `historyWindow`, seconds; absent when not asked. */
  latencyHistory?: number[];
  custom: ({ name: string } & Paired<number[]>)[];
}

/** Reads the metrics a canary analysis needs. */
export interface MetricsPort {
  /** Both target groups' metrics over the same window. */
  readCanaryMetrics(query: CanaryMetricsQuery): Promise<CanaryMetrics>;
}
