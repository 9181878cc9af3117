import { describe, expect, it } from '@jest/globals';
import { DEFAULT_ANALYSIS as JUDGEMENT_DEFAULTS } from '../../../src/canary/policy.ts';
import { defaultAnalysis } from '../../../src/catalog/analysis.ts';
import { CatalogError, parseCatalog } from '../../../src/catalog/load.ts';
import { releaseTargetSchema } from '../../../src/release/schemas.ts';
import { findTargets } from '../../../src/release/targets.ts';

// The strategy fields of a catalog environment: canary, linear and blue-green
// beside rolling, their ECS defaults, and every combination that must fail the build.

const TG_BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef';
const TG_GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/fedcba9876543210';
const PROD_RULE =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const TEST_RULE =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/0467ef3c8400ae65/1e2f3a4b5c6d7e8f';
const ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers';

const loadBalancer = {
  targetGroupArn: TG_BLUE,
  alternateTargetGroupArn: TG_GREEN,
  productionListenerRuleArn: PROD_RULE,
  testListenerRuleArn: TEST_RULE,
  roleArn: ROLE,
  containerPort: 8080,
};

const catalogWith = (fields: Record<string, unknown>) =>
  JSON.stringify({
    services: {
      web: {
        environments: {
          production: {
            cluster: 'prod',
            service: 'web',
            container: 'web',
            repository: 'demo/web',
            slackChannel: '#releases',
            ...fields,
          },
        },
      },
    },
  });

const environmentOf = (fields: Record<string, unknown>) => {
  const environment = parseCatalog(catalogWith(fields), 'catalog.yml', {}).services.web?.environments.production;
  if (environment === undefined) throw new Error('no environment parsed');
  return environment;
};

const problemsOf = (fields: Record<string, unknown>) => {
  try {
    parseCatalog(catalogWith(fields), 'catalog.yml', {});
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected a CatalogError');
};

const at = (field: string) => `services.web.environments.production.${field}`;

const DEFAULT_ANALYSIS = {
  intervalSeconds: 60,
  confidence: 0.99,
  minimumRequests: 100,
  failureLimit: 1,
  maxExtensionMinutes: 30,
  onNoData: 'ask',
  askTimeoutSeconds: 1800,
  metrics: { errorRate: { maxIncrease: 0.01 }, latency: { maxIncreaseRatio: 0.2, minIncreaseMs: 5 }, custom: [] },
};

const HOME = { account: '123456789012', region: 'us-east-1' };

describe('catalog strategies', () => {
  it('keeps rolling the default, with no native fields', () => {
    const environment = environmentOf({});
    expect(environment.strategy).toBe('rolling');
    for (const field of ['canary', 'linear', 'bakeMinutes', 'loadBalancer', 'analysis']) {
      expect(environment).not.toHaveProperty(field);
    }
  });

  it("gives a bare canary 10% (CodeDeploy's share, not ECS's 5%), ECS's bake, a bake time and the default analysis", () => {
    expect(environmentOf({ strategy: 'canary', loadBalancer })).toMatchObject({
      strategy: 'canary',
      canary: { percent: 10, bakeMinutes: 10 },
      bakeMinutes: 10,
      loadBalancer,
      analysis: DEFAULT_ANALYSIS,
    });
  });

  it("gives a bare linear ECS's step defaults, and blue-green neither shift", () => {
    expect(environmentOf({ strategy: 'linear', loadBalancer })).toMatchObject({
      linear: { stepPercent: 10, stepBakeMinutes: 6 },
    });
    const blueGreen = environmentOf({ strategy: 'blue-green', loadBalancer, bakeMinutes: 0 });
    expect(blueGreen).toMatchObject({ strategy: 'blue-green', bakeMinutes: 0 });
    expect(blueGreen).not.toHaveProperty('canary');
    expect(blueGreen).not.toHaveProperty('linear');
  });

  it('reads the old names: onInconclusive is onNoData, maxInconclusive intervals are minutes of extension', () => {
    const environment = environmentOf({
      strategy: 'canary',
      loadBalancer,
      analysis: { intervalSeconds: 120, maxInconclusive: 2, onInconclusive: 'rollback' },
    });
    expect(environment.analysis).toEqual({
      ...DEFAULT_ANALYSIS,
      intervalSeconds: 120,
      maxExtensionMinutes: 4,
      onNoData: 'rollback',
    });
  });

  it('fills the analysis fields a team leaves out, and keeps only the metrics it lists', () => {
    const environment = environmentOf({
      strategy: 'canary',
      canary: { percent: 12.5 },
      loadBalancer,
      analysis: {
        intervalSeconds: 120,
        onNoData: 'proceed',
        metrics: {
          latency: { maxIncreaseRatio: 0.1 },
          custom: [
            {
              name: 'checkouts',
              namespace: 'Shop',
              metricName: 'CheckoutsCompleted',
              statistic: 'Sum',
              direction: 'decrease-is-bad',
              maxChangeRatio: 0.05,
            },
          ],
        },
      },
    });
    expect(environment.canary).toEqual({ percent: 12.5, bakeMinutes: 10 });
    expect(environment.analysis).toEqual({
      ...DEFAULT_ANALYSIS,
      intervalSeconds: 120,
      onNoData: 'proceed',
      metrics: {
        latency: { maxIncreaseRatio: 0.1, minIncreaseMs: 5 },
        custom: [
          {
            name: 'checkouts',
            namespace: 'Shop',
            metricName: 'CheckoutsCompleted',
            dimensions: [],
            statistic: 'Sum',
            direction: 'decrease-is-bad',
            maxChangeRatio: 0.05,
          },
        ],
      },
    });
  });

  it('carries the strategy, its shift, the load balancer and the analysis into the release target', () => {
    const catalog = parseCatalog(catalogWith({ strategy: 'canary', loadBalancer }), 'catalog.yml', {});
    const [target] = findTargets(catalog, { repository: 'demo/web', tag: 'v2', registry: HOME }, HOME).targets;
    expect(target).toMatchObject({
      strategy: 'canary',
      canary: { percent: 10, bakeMinutes: 10 },
      bakeMinutes: 10,
      loadBalancer,
      analysis: DEFAULT_ANALYSIS,
    });
  });

  it.each([
    ['a canary block with strategy linear', { strategy: 'linear', loadBalancer, canary: {} }, 'canary', /canary/],
    ['a linear block with strategy canary', { strategy: 'canary', loadBalancer, linear: {} }, 'linear', /linear/],
    ['analysis with strategy rolling', { analysis: {} }, 'analysis', /no canary to analyse/],
    ['a load balancer with strategy rolling', { loadBalancer }, 'loadBalancer', /rolling/],
    ['a native strategy without a load balancer', { strategy: 'blue-green' }, 'loadBalancer', /is required/],
  ])('refuses %s', (_case, fields, field, message) => {
    expect(problemsOf(fields)).toEqual([{ path: at(field), message: expect.stringMatching(message) }]);
  });

  it.each([
    ['a canary share below 0.1', { canary: { percent: 0 } }, 'canary.percent', /between 0.1 and 100/],
    ['a canary share above 100', { canary: { percent: 101 } }, 'canary.percent', /between 0.1 and 100/],
    ['a canary share off the 0.1 grid', { canary: { percent: 5.25 } }, 'canary.percent', /multiple of 0.1/],
    ['a bake time above 24 hours', { canary: { bakeMinutes: 1441 } }, 'canary.bakeMinutes', /1440/],
    ['a negative bake time', { bakeMinutes: -1 }, 'bakeMinutes', /0/],
    ['fractional bake minutes', { bakeMinutes: 1.5 }, 'bakeMinutes', /whole minutes/],
    [
      'an interval below the metrics resolution',
      { analysis: { intervalSeconds: 30 } },
      'analysis.intervalSeconds',
      /at least 60/,
    ],
    ['an interval off the minute', { analysis: { intervalSeconds: 90 } }, 'analysis.intervalSeconds', /whole minutes/],
    ['a confidence of 0.5', { analysis: { confidence: 0.5 } }, 'analysis.confidence', /above 0.5/],
    ['a confidence of 0.999', { analysis: { confidence: 0.999 } }, 'analysis.confidence', /below 0.999/],
    [
      'an ask that waits longer than a day',
      { analysis: { askTimeoutSeconds: 86_401 } },
      'analysis.askTimeoutSeconds',
      /86400/,
    ],
    [
      'an unknown no-data policy',
      { analysis: { onNoData: 'promote' } },
      'analysis.onNoData',
      /must be ask, proceed or rollback/,
    ],
    [
      'an unknown no-data policy under its old name',
      { analysis: { onInconclusive: 'promote' } },
      'analysis.onNoData',
      /must be ask, proceed or rollback/,
    ],
    [
      'a field under both its old and its new name',
      { analysis: { onInconclusive: 'ask', onNoData: 'rollback' } },
      'analysis.onInconclusive',
      /old name of onNoData: give onNoData alone/,
    ],
    [
      'an extension longer than ECS keeps a hook paused',
      { analysis: { maxExtensionMinutes: 1441, onNoData: 'rollback' } },
      'analysis.maxExtensionMinutes',
      /at most 1440 \(24 hours\): ECS ends a paused lifecycle hook/,
    ],
    [
      'an extension and a question longer than ECS keeps a hook paused',
      { analysis: { maxExtensionMinutes: 1400, askTimeoutSeconds: 3600 } },
      'analysis.maxExtensionMinutes',
      /must fit in 1440 minutes together/,
    ],
    ['an analysis with no metric', { analysis: { metrics: {} } }, 'analysis.metrics', /at least one metric/],
    [
      'more custom metrics than the state data keeps',
      {
        analysis: {
          metrics: {
            custom: Array.from({ length: 21 }, (_, index) => ({
              name: `m${index}`,
              namespace: 'N',
              metricName: 'M',
              statistic: 'Sum',
              direction: 'increase-is-bad',
              maxChangeRatio: 1,
            })),
          },
        },
      },
      'analysis.metrics.custom',
      /at most 20 custom metrics/,
    ],
    [
      'a custom metric with an unknown statistic',
      {
        analysis: {
          metrics: {
            custom: [
              {
                name: 'q',
                namespace: 'N',
                metricName: 'M',
                statistic: 'Median',
                direction: 'increase-is-bad',
                maxChangeRatio: 1,
              },
            ],
          },
        },
      },
      'analysis.metrics.custom.0.statistic',
      /CloudWatch statistic/,
    ],
  ])('refuses %s', (_case, fields, field, message) => {
    expect(problemsOf({ strategy: 'canary', loadBalancer, ...fields })).toEqual([
      { path: at(field), message: expect.stringMatching(message) },
    ]);
  });

  it("takes a linear step of 3 to 100, ECS's limits", () => {
    expect(environmentOf({ strategy: 'linear', loadBalancer, linear: { stepPercent: 3 } }).linear?.stepPercent).toBe(3);
    expect(problemsOf({ strategy: 'linear', loadBalancer, linear: { stepPercent: 2.9 } })).toEqual([
      { path: at('linear.stepPercent'), message: expect.stringMatching(/between 3 and 100/) },
    ]);
  });

  it.each([
    ['a listener ARN as a target group', { targetGroupArn: PROD_RULE }, 'targetGroupArn', /target group/],
    [
      'a target group as the production rule',
      { productionListenerRuleArn: TG_BLUE },
      'productionListenerRuleArn',
      /listener rule/,
    ],
    [
      'a Network Load Balancer listener as the test rule',
      {
        testListenerRuleArn:
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/web/50dc6c495c0c9188/f2f7dc8efc522ab2',
      },
      'testListenerRuleArn',
      /Application Load Balancer listener rule/,
    ],
    ['a user ARN as the role', { roleArn: 'arn:aws:iam::123456789012:user/deployer' }, 'roleArn', /IAM role/],
    ['an S3 ARN as the role', { roleArn: 'arn:aws:s3:::role/x' }, 'roleArn', /IAM role/],
    [
      'the same target group twice',
      { alternateTargetGroupArn: TG_BLUE },
      'alternateTargetGroupArn',
      /another target group/,
    ],
    [
      'the same rule for test and production',
      { testListenerRuleArn: PROD_RULE },
      'testListenerRuleArn',
      /another listener rule/,
    ],
    ['a port out of range', { containerPort: 70000 }, 'containerPort', /65535/],
  ])('refuses %s in the load balancer', (_case, change, field, message) => {
    expect(problemsOf({ strategy: 'blue-green', loadBalancer: { ...loadBalancer, ...change } })).toEqual([
      { path: at(`loadBalancer.${field}`), message: expect.stringMatching(message) },
    ]);
  });

  it('takes ARNs of other partitions and a role under a path, and no test rule', () => {
    const { testListenerRuleArn: _test, ...withoutTest } = loadBalancer;
    const china = {
      ...withoutTest,
      targetGroupArn: TG_BLUE.replace('arn:aws:', 'arn:aws-cn:').replace('us-east-1', 'cn-north-1'),
      roleArn: 'arn:aws:iam::123456789012:role/service-role/ecs-lb',
    };
    expect(environmentOf({ strategy: 'blue-green', loadBalancer: china }).loadBalancer).toEqual(china);
  });
});

describe('the release request schema', () => {
  const target = () => {
    const catalog = parseCatalog(catalogWith({ strategy: 'linear', loadBalancer }), 'catalog.yml', {});
    const [found] = findTargets(catalog, { repository: 'demo/web', tag: 'v2', registry: HOME }, HOME).targets;
    if (found === undefined) throw new Error('no target');
    return found;
  };

  it('carries a native target through unchanged', () => {
    expect(releaseTargetSchema.parse(target())).toEqual(target());
  });

  it('refuses a native target without its load balancer', () => {
    const { loadBalancer: _lb, ...withoutLoadBalancer } = target();
    expect(releaseTargetSchema.safeParse(withoutLoadBalancer).error?.issues).toEqual([
      expect.objectContaining({ path: ['loadBalancer'], message: expect.stringMatching(/is required/) }),
    ]);
  });
});

describe('the analysis defaults', () => {
  it("are canary-check's own defaults: the catalog and the judgement agree", () => {
    expect(defaultAnalysis()).toEqual(JUDGEMENT_DEFAULTS);
  });
});
