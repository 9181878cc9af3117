import type { MetricStore } from '../cloudwatch/metric-store.ts';

// The AWS/States metrics Step Functions publishes per state machine
// (dimension StateMachineArn), written into the sandbox's CloudWatch when an
// execution starts and ends, at CloudWatch's clock: ExecutionsStarted, then
// one of ExecutionsSucceeded, ExecutionsFailed, ExecutionsTimedOut,
// ExecutionsAborted, and ExecutionTime (milliseconds).

const ENDED: Readonly<Record<string, string>> = {
  SUCCEEDED: 'ExecutionsSucceeded',
  FAILED: 'ExecutionsFailed',
  TIMED_OUT: 'ExecutionsTimedOut',
  ABORTED: 'ExecutionsAborted',
};

interface ExecutionFacts {
  status: string;
  startDate: Date;
  stopDate?: Date;
  stateMachine: { arn: string };
}

const metric = (execution: ExecutionFacts, metricName: string) => ({
  namespace: 'AWS/States',
  metricName,
  dimensions: [{ Name: 'StateMachineArn', Value: execution.stateMachine.arn }],
});

/** ExecutionsStarted, when `execution` starts. */
export function executionStarted(store: MetricStore, execution: ExecutionFacts): void {
  store.put(metric(execution, 'ExecutionsStarted'), 1, { unit: 'Count' });
}

/** The outcome's count and ExecutionTime, when `execution` ends. */
export function executionEnded(store: MetricStore, execution: ExecutionFacts): void {
  const name = ENDED[execution.status];
  if (!name) return;
  store.put(metric(execution, name), 1, { unit: 'Count' });
  const stop = execution.stopDate ?? new Date();
  store.put(metric(execution, 'ExecutionTime'), Math.max(0, stop.getTime() - execution.startDate.getTime()), {
    unit: 'Milliseconds',
  });
}
