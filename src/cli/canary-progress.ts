import { DescribeServiceDeploymentsCommand, type ServiceDeployment } from '@aws-sdk/client-ecs';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { AnalysisFigures } from './analysis-figures.ts';
import type { Target } from './target.ts';
import { deploymentEcs } from './target-placement.ts';

// What `release watch` adds for a canary, linear or blue/green release: the
// production traffic split as ECS moves it (DescribeServiceDeployments), and
// each analysis with its verdict and reason (the output of the state machine's
// CanaryCheck states; since issue 17, CheckRollout's when it analysed). Both are read defensively: the state data's layout is
// the state machine's to change, and a rolling release has neither.

/** One analysis as the execution history records it: its verdict and reason, and its figures when the state kept them. */
export interface AnalysisSummary extends AnalysisFigures {
  state: string;
  reason: string;
}

const CANARY_CHECK_STATE = /^CanaryCheck/;
/** Since issue 17 CheckRollout analyses (watchRollout) when its look says one is due: its output's stability says so. */
const CHECK_ROLLOUT_STATE = 'CheckRollout';
const SERVICE_DEPLOYMENT_ARN = /arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service-deployment\/[A-Za-z0-9_/-]+/;
const MAX_DEPTH = 4;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parse(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// canary-check's result ({verdict, reason, decision, …}) wherever the state put it: the whole output or a field of it.
function findVerdict(value: unknown, depth = 0): Record<string, unknown> | undefined {
  if (!isRecord(value) || depth > MAX_DEPTH) return undefined;
  if (typeof value.verdict === 'string' && typeof value.reason === 'string') return value;
  for (const nested of Object.values(value)) {
    const found = findVerdict(nested, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The analysis a history event records: a CanaryCheck… state's exit whose output holds a verdict. */
export function analysisOf(event: HistoryEvent): AnalysisSummary | undefined {
  const exited = event.stateExitedEventDetails;
  if (!event.type?.endsWith('StateExited') || !exited?.name) return undefined;
  const output = parse(exited.output);
  const analysed =
    exited.name === CHECK_ROLLOUT_STATE &&
    isRecord(output) &&
    isRecord(output.stability) &&
    output.stability.next === 'analyse';
  if (!analysed && !CANARY_CHECK_STATE.test(exited.name)) return undefined;
  const result = findVerdict(analysed ? output.analysis : output);
  if (!result) return undefined;
  return {
    state: exited.name,
    verdict: String(result.verdict),
    ...(typeof result.decision === 'string' ? { decision: result.decision } : {}),
    reason: String(result.reason),
    ...windowOf(result.window),
    ...(Array.isArray(result.metrics) ? { metrics: result.metrics.filter(isRecord) } : {}),
  };
}

function windowOf(window: unknown): Pick<AnalysisFigures, 'window'> {
  if (!isRecord(window) || typeof window.start !== 'string' || typeof window.end !== 'string') return {};
  return { window: { start: window.start, end: window.end } };
}

/** `analysis fail → rollback: <reason>`. */
export function formatAnalysis(analysis: AnalysisSummary): string {
  const decision = analysis.decision ? ` → ${analysis.decision}` : '';
  return `analysis ${analysis.verdict}${decision}: ${analysis.reason}`;
}

/** The newest ECS service deployment ARN any state's output names, if the release made one. */
export function serviceDeploymentArnIn(history: readonly HistoryEvent[]): string | undefined {
  for (const event of [...history].reverse()) {
    const output = event.stateExitedEventDetails?.output ?? event.lambdaFunctionSucceededEventDetails?.output;
    const found = output ? SERVICE_DEPLOYMENT_ARN.exec(output)?.[0] : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * `production: new 10% · stable 90% (PRODUCTION_TRAFFIC_SHIFT)` for a native
 * deployment that reports weights; undefined for a rolling one.
 */
export function trafficSplitOf(deployment: ServiceDeployment): string | undefined {
  const next = deployment.targetServiceRevision?.requestedProductionTrafficWeight;
  const previous = (deployment.sourceServiceRevisions ?? [])
    .map((revision) => revision.requestedProductionTrafficWeight)
    .filter((weight) => weight !== undefined);
  if (next === undefined && previous.length === 0) return undefined;
  const stable = previous.length === 0 ? 100 - (next ?? 0) : previous.reduce((sum, weight) => sum + weight, 0);
  const stage = deployment.lifecycleStage ? ` (${deployment.lifecycleStage})` : '';
  return `production: new ${percent(next ?? 0)} · stable ${percent(stable)}${stage}`;
}

const percent = (weight: number) => `${Number(weight.toFixed(1))}%`;

/** The deployment's current split, read in its account and region, or undefined when ECS does not report one (or cannot be asked). */
export async function readTrafficSplit(target: Target, serviceDeploymentArn: string): Promise<string | undefined> {
  try {
    const { serviceDeployments } = await deploymentEcs(target, serviceDeploymentArn).send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }),
    );
    const deployment = serviceDeployments?.[0];
    return deployment ? trafficSplitOf(deployment) : undefined;
  } catch {
    // Watching goes on without the split: the release, not its traffic view, is what is followed.
    return undefined;
  }
}
