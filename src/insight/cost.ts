// What a release cost to run, at AWS's published on-demand prices (us-east-1,
// README "Cost per release"), from its execution's history: each state entered
// is a Standard workflow transition, each Lambda task entered an invocation, and
// each canary analysis reads its metrics with GetMetricData.

/** Published prices, in US dollars. */
export const PRICES = {
  /** Step Functions Standard: $0.025 per 1,000 state transitions. */
  stateTransition: 0.025 / 1000,
  /** Lambda: $0.20 per million requests. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda arm64: $0.0000133334 per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** CloudWatch GetMetricData: $0.01 per 1,000 metrics requested. */
  metricRequested: 0.01 / 1000,
} as const;

/** One history event, as much of it as counting needs (the SDK's HistoryEvent fits). */
export interface HistoryEventLike {
  type?: string;
  timestamp?: Date | string;
  stateEnteredEventDetails?: { name?: string };
  stateExitedEventDetails?: { name?: string; output?: string };
  taskScheduledEventDetails?: { resourceType?: string; resource?: string };
  lambdaFunctionScheduledEventDetails?: unknown;
}

/** What a release's execution did, counted from its history. */
export interface ExecutionCounts {
  stateTransitions: number;
  lambdaInvocations: number;
  /** Canary analyses (each one GetMetricData call). */
  analyses: number;
}

/** CheckRollout analyses in the same task when its look says one is due (watchRollout, issue 17). */
function analysedOnExit(event: HistoryEventLike): boolean {
  const exited = event.stateExitedEventDetails;
  if (exited?.name !== 'CheckRollout' || !exited.output) return false;
  try {
    const output = JSON.parse(exited.output) as { stability?: { next?: unknown } } | null;
    return output?.stability?.next === 'analyse';
  } catch {
    return false;
  }
}

/** Counts an execution's transitions, Lambda invocations and analyses from its history. */
export function countExecution(history: HistoryEventLike[], analysisState = 'CanaryCheck'): ExecutionCounts {
  let stateTransitions = 0;
  let lambdaInvocations = 0;
  let analyses = 0;
  for (const event of history) {
    if (event.type?.endsWith('StateEntered')) {
      stateTransitions += 1;
      if (event.stateEnteredEventDetails?.name === analysisState) analyses += 1;
    }
    if (event.type?.endsWith('StateExited') && analysedOnExit(event)) analyses += 1;
    if (event.type === 'LambdaFunctionScheduled') lambdaInvocations += 1;
    if (event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resourceType === 'lambda')
      lambdaInvocations += 1;
  }
  return { stateTransitions, lambdaInvocations, analyses };
}

/** How a release's cost was reckoned. */
export interface ReleaseCost extends ExecutionCounts {
  metricsRequested: number;
  /** US dollars, rounded to a millionth. */
  usd: { stepFunctions: number; lambdaRequests: number; lambdaCompute: number; cloudWatch: number; total: number };
  /** Lambda compute is estimated: configured memory × an assumed billed duration per invocation. */
  estimated: string;
}

/** Prices the counts: `metricsPerAnalysis` metrics per GetMetricData call, each invocation `memoryMb` for `billedMs`. */
export function releaseCost(
  counts: ExecutionCounts,
  options: { metricsPerAnalysis: number; memoryMb: number; billedMs: number },
): ReleaseCost {
  const metricsRequested = counts.analyses * options.metricsPerAnalysis;
  const gbSeconds = counts.lambdaInvocations * (options.memoryMb / 1024) * (options.billedMs / 1000);
  const usd = {
    stepFunctions: counts.stateTransitions * PRICES.stateTransition,
    lambdaRequests: counts.lambdaInvocations * PRICES.lambdaRequest,
    lambdaCompute: gbSeconds * PRICES.lambdaGbSecond,
    cloudWatch: metricsRequested * PRICES.metricRequested,
  };
  const total = usd.stepFunctions + usd.lambdaRequests + usd.lambdaCompute + usd.cloudWatch;
  const micro = (value: number) => Math.round(value * 1_000_000) / 1_000_000;
  return {
    ...counts,
    metricsRequested,
    usd: {
      stepFunctions: micro(usd.stepFunctions),
      lambdaRequests: micro(usd.lambdaRequests),
      lambdaCompute: micro(usd.lambdaCompute),
      cloudWatch: micro(usd.cloudWatch),
      total: micro(total),
    },
    estimated: `lambda compute at ${options.memoryMb} MB × ${options.billedMs} ms per invocation (estimated)`,
  };
}

/**
 * Costs summed per calendar month (UTC), from the ledger's `ended` events that
 * carry one. An execution that released several targets priced itself on each
 * of their events: it is counted once.
 */
export function costPerMonth(
  ended: { at: string; executionId?: string; cost?: { usd?: { total?: number } } }[],
): Record<string, number> {
  const months: Record<string, number> = {};
  const counted = new Set<string>();
  for (const event of ended) {
    const total = event.cost?.usd?.total;
    if (typeof total !== 'number') continue;
    if (event.executionId !== undefined) {
      if (counted.has(event.executionId)) continue;
      counted.add(event.executionId);
    }
    const month = event.at.slice(0, 7);
    months[month] = Math.round(((months[month] ?? 0) + total) * 1_000_000) / 1_000_000;
  }
  return months;
}
