// Figures read from one execution's history (GetExecutionHistory), the way
// they would be read from a real Step Functions execution.
import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** What one release cost in Step Functions and Lambda terms. */
export interface ExecutionCost {
  /** States entered: what Standard workflows bill as state transitions (Map iterations' states included). */
  transitions: number;
  /** Lambda invocations the execution scheduled (Lambda tasks and lambda:invoke callback tasks), retries included. */
  invocations: number;
  /** How many times a Wait state ran (the Wait ⇄ Check loops of waiting for ECS). */
  waits: number;
}

export function executionCost(events: readonly HistoryEvent[]): ExecutionCost {
  const count = (predicate: (type: string) => boolean) => events.filter((e) => predicate(e.type ?? '')).length;
  return {
    transitions: count((type) => type.endsWith('StateEntered')),
    invocations:
      count((type) => type === 'LambdaFunctionScheduled') +
      events.filter((e) => e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resourceType === 'lambda').length,
    waits: count((type) => type === 'WaitStateEntered'),
  };
}

/** The pipeline's own time from a push to ECS's UpdateService, with the time spent in Wait states taken out. */
export interface PushToUpdate {
  /** Push (PutImage sent) → ExecutionStarted: ECR's event through the event bus to StartExecution. */
  deliveryMs: number;
  /** ExecutionStarted → UpdateService (the service deployment's createdAt), Wait states excluded. */
  pipelineMs: number;
  /** Wait states between ExecutionStarted and UpdateService (zero unless the target was busy). */
  waitedMs: number;
  /** deliveryMs + pipelineMs. */
  totalMs: number;
}

/**
 * `pushedAt`: when the push was sent; `updatedAt`: ECS's createdAt of the
 * service deployment that the Deploy step's UpdateService created.
 */
export function pushToUpdate(events: readonly HistoryEvent[], pushedAt: number, updatedAt: number): PushToUpdate {
  const startedAt = events.find((e) => e.type === 'ExecutionStarted')?.timestamp?.getTime();
  if (startedAt === undefined) throw new Error('the history has no ExecutionStarted event');
  let waitedMs = 0;
  let waitEnteredAt: number | undefined;
  for (const event of events) {
    const at = event.timestamp?.getTime() ?? 0;
    if (at > updatedAt) break;
    if (event.type === 'WaitStateEntered') waitEnteredAt = at;
    if (event.type === 'WaitStateExited' && waitEnteredAt !== undefined) {
      waitedMs += at - waitEnteredAt;
      waitEnteredAt = undefined;
    }
  }
  const deliveryMs = startedAt - pushedAt;
  const pipelineMs = updatedAt - startedAt - waitedMs;
  return { deliveryMs, pipelineMs, waitedMs, totalMs: deliveryMs + pipelineMs };
}

/** The Deploy step's result (`{ serviceDeploymentArn, taskDefinitionArn, … }`), from its LambdaFunctionSucceeded event. */
export function deployResult(events: readonly HistoryEvent[]): { serviceDeploymentArn?: string } | undefined {
  let state = '';
  for (const event of events) {
    state = event.stateEnteredEventDetails?.name ?? state;
    const output = event.lambdaFunctionSucceededEventDetails?.output;
    if (state === 'Deploy' && output) return JSON.parse(output) as { serviceDeploymentArn?: string };
  }
  return undefined;
}
