import * as z from 'zod';
import { type AnalysisPolicy, analysisSchema, defaultAnalysis } from './analysis.ts';
import type { SmokeCheck } from './schema.ts';

// How a release moves traffic: `rolling` (ECS's rolling update), or one of ECS's
// native strategies, where ECS shifts traffic between two target groups and the
// release judges each step. Ranges and defaults are ECS's own
// (@aws-sdk/client-ecs: CanaryConfiguration, LinearConfiguration, DeploymentConfiguration).

export const STRATEGIES = ['rolling', 'canary', 'linear', 'blue-green'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export type NativeStrategy = Exclude<Strategy, 'rolling'>;

export const strategySchema = z.enum(STRATEGIES);

/** Whether ECS shifts traffic between two target groups (both revisions run), rather than replacing tasks. */
export const isNative = (strategy: Strategy): strategy is NativeStrategy => strategy !== 'rolling';

const BAKE_MINUTES_LIMIT = 1440;
const bakeMinutes = () =>
  z
    .number()
    .int({ message: 'must be whole minutes' })
    .min(0)
    .max(BAKE_MINUTES_LIMIT, {
      message: `must be at most ${BAKE_MINUTES_LIMIT} (24 hours), ECS's limit`,
    });

// ECS takes percentages in steps of 0.1; compared in tenths to avoid 0.3 % 0.1.
const tenths = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;
const percent = (min: number) =>
  z
    .number()
    .min(min, { message: `must be between ${min} and 100, ECS's limits` })
    .max(100, { message: `must be between ${min} and 100, ECS's limits` })
    .refine(tenths, { message: 'must be a multiple of 0.1, as ECS takes it' });

// The one default that is not ECS's: a canary gets 10% of production (CodeDeploy's
// ECSCanary10Percent configurations), not ECS's 5%. The judge's power is the
// canary's request count: at 600 requests a minute, 5% gives it 30 a minute and a
// +5-point error rate takes 4.1 analyses on average to be significant at the
// default confidence; 10% takes 2.6 (the canary lab, README).
export const DEFAULT_CANARY_PERCENT = 10;

/** `canary:` the share of production traffic the canary gets, and how long before the rest follows. */
export const canaryShiftSchema = z.strictObject({
  percent: percent(0.1).default(DEFAULT_CANARY_PERCENT),
  bakeMinutes: bakeMinutes().default(10),
});

/** `linear:` the share of production traffic each step moves, and how long each step bakes. */
export const linearShiftSchema = z.strictObject({
  stepPercent: percent(3).default(10),
  stepBakeMinutes: bakeMinutes().default(6),
});

/** ECS's bake time after the last production shift, before the old revision is stopped. */
export const bakeMinutesSchema = bakeMinutes();
export const DEFAULT_BAKE_MINUTES = 10;

const ARN_HEAD = 'arn:aws(?:-[a-z]+)*';
const arn = (pattern: string, what: string) =>
  z.string().regex(new RegExp(`^${ARN_HEAD}:${pattern}$`), { message: `is not ${what}` });
const REGION_ACCOUNT = '[a-z]{2}(?:-[a-z]+)+-\\d:\\d{12}';
const targetGroupArn = arn(
  `elasticloadbalancing:${REGION_ACCOUNT}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}`,
  'the ARN of an Elastic Load Balancing target group (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)',
);
// Application Load Balancer rules only: the analysis reads ALB metrics (5xx counts, response times).
const listenerRuleArn = arn(
  `elasticloadbalancing:${REGION_ACCOUNT}:listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}`,
  'the ARN of an Application Load Balancer listener rule (arn:aws:elasticloadbalancing:<region>:<account>:listener-rule/app/<lb>/<id>/<id>/<id>)',
);
const roleArn = arn(
  'iam::\\d{12}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}',
  'the ARN of an IAM role (arn:aws:iam::<account>:role/<name>)',
);

/** `loadBalancer:` the two target groups ECS moves traffic between, the listener rules it weights, and the role it does so with. */
export const loadBalancerSchema = z
  .strictObject({
    targetGroupArn,
    alternateTargetGroupArn: targetGroupArn,
    productionListenerRuleArn: listenerRuleArn,
    testListenerRuleArn: listenerRuleArn.optional(),
    // The ECS infrastructure role for load balancers; the deploy function may pass only the roles the catalog names.
    roleArn,
    containerPort: z.number().int().min(1).max(65_535),
  })
  .refine((lb) => lb.targetGroupArn !== lb.alternateTargetGroupArn, {
    message: 'must name another target group than targetGroupArn: ECS moves traffic between the two',
    path: ['alternateTargetGroupArn'],
  })
  .refine((lb) => lb.testListenerRuleArn === undefined || lb.testListenerRuleArn !== lb.productionListenerRuleArn, {
    message: 'must name another listener rule than productionListenerRuleArn',
    path: ['testListenerRuleArn'],
  });

export type CanaryShift = z.infer<typeof canaryShiftSchema>;
export type LinearShift = z.infer<typeof linearShiftSchema>;
export type LoadBalancerConfig = z.infer<typeof loadBalancerSchema>;

/** The strategy fields of a catalog environment (and of a release target), defaults applied. */
export interface StrategyConfig {
  strategy: Strategy;
  /** With `canary` only. */
  canary?: CanaryShift;
  /** With `linear` only. */
  linear?: LinearShift;
  /** With a native strategy only. */
  bakeMinutes?: number;
  /** With a native strategy only (required there). */
  loadBalancer?: LoadBalancerConfig;
  /** With a native strategy only; defaults when the catalog has none. */
  analysis?: AnalysisPolicy;
  /**
   * With a native strategy only: HTTP checks of the new revision through the
   * test listener, run while ECS waits after moving test traffic (before any
   * production traffic); each check's URL is the test listener's. None by default.
   */
  testSmoke?: SmokeCheck[];
}

/** The strategy fields' shapes, each optional; `checkStrategy` says which go together. */
export const strategyFields = {
  strategy: strategySchema.default('rolling'),
  canary: canaryShiftSchema.optional(),
  linear: linearShiftSchema.optional(),
  bakeMinutes: bakeMinutesSchema.optional(),
  loadBalancer: loadBalancerSchema.optional(),
  analysis: analysisSchema.optional(),
};

type Context = { addIssue: (issue: { code: 'custom'; path: string[]; message: string }) => void };

// Each block belongs to some strategies; one written under another is a mistake, not something to ignore.
const OWNERS: Record<Exclude<keyof StrategyConfig, 'strategy'>, readonly Strategy[]> = {
  canary: ['canary'],
  linear: ['linear'],
  bakeMinutes: ['canary', 'linear', 'blue-green'],
  loadBalancer: ['canary', 'linear', 'blue-green'],
  analysis: ['canary', 'linear', 'blue-green'],
  testSmoke: ['canary', 'linear', 'blue-green'],
};

/** Adds an issue for each strategy field that does not go with the strategy, and for a native strategy without a load balancer. */
export function checkStrategy(config: StrategyConfig, context: Context): void {
  for (const [field, owners] of Object.entries(OWNERS)) {
    if (config[field as keyof typeof OWNERS] === undefined || owners.includes(config.strategy)) continue;
    const why =
      config.strategy === 'rolling'
        ? 'a rolling update replaces tasks in place: there is no canary to analyse and no traffic to shift'
        : `it configures ${owners.join(' or ')}`;
    context.addIssue({
      code: 'custom',
      path: [field],
      message: `does not go with strategy ${config.strategy} (${why}); remove it or change the strategy`,
    });
  }
  if (
    (config.testSmoke?.length ?? 0) > 0 &&
    config.loadBalancer !== undefined &&
    !config.loadBalancer.testListenerRuleArn
  ) {
    context.addIssue({
      code: 'custom',
      path: ['testSmoke'],
      message:
        'needs loadBalancer.testListenerRuleArn: without a test listener rule no test traffic reaches the new revision',
    });
  }
  if (isNative(config.strategy) && config.loadBalancer === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['loadBalancer'],
      message: `is required with strategy ${config.strategy}: ECS shifts traffic between two target groups behind a listener rule`,
    });
  }
}

/** The strategy fields with ECS's defaults (the canary's share excepted: DEFAULT_CANARY_PERCENT) for the chosen strategy and the default analysis. */
export function withStrategyDefaults<T extends StrategyConfig>(config: T): T {
  if (!isNative(config.strategy)) return config;
  return {
    ...config,
    ...(config.strategy === 'canary' ? { canary: config.canary ?? canaryShiftSchema.parse({}) } : {}),
    ...(config.strategy === 'linear' ? { linear: config.linear ?? linearShiftSchema.parse({}) } : {}),
    bakeMinutes: config.bakeMinutes ?? DEFAULT_BAKE_MINUTES,
    analysis: config.analysis ?? defaultAnalysis(),
    testSmoke: config.testSmoke ?? [],
  };
}

/** One line on how a target releases: `canary 10% for 10 min, bake 10 min, analysis every 60 s`. */
export function describeStrategy(config: StrategyConfig): string {
  const shift =
    config.canary !== undefined
      ? ` ${config.canary.percent}% for ${config.canary.bakeMinutes} min`
      : config.linear !== undefined
        ? ` ${config.linear.stepPercent}% a step, ${config.linear.stepBakeMinutes} min each`
        : '';
  const bake = config.bakeMinutes === undefined ? '' : `, bake ${config.bakeMinutes} min`;
  const analysis = config.analysis === undefined ? '' : `, analysis every ${config.analysis.intervalSeconds} s`;
  return `${config.strategy}${shift}${bake}${analysis}`;
}
