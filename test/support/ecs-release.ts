import { defaultAnalysis } from '../../src/catalog/analysis.ts';
import type { DeployResult, ReleaseRequest } from '../../src/release/release.ts';

// The release these tests tell a story about: demo/web:v2 (events/aws.ecr/push.json)
// going to web/staging, whose service runs web:41 (test/fixtures/ecs/).

export const ACCOUNT_PREFIX = 'arn:aws:ecs:us-east-1:123456789012';
export const WEB_41 = `${ACCOUNT_PREFIX}:task-definition/web:41`;
export const WEB_42 = `${ACCOUNT_PREFIX}:task-definition/web:42`;
export const DEPLOYMENT_ARN = `${ACCOUNT_PREFIX}:service-deployment/sandbox/web/KSxc3xTNpjvu3Ab0WgBm`;
export const REPOSITORY_URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/web';
export const PUSHED_DIGEST = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd';
export const LIVE_DIGEST = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

/** The planned release of demo/web:v2 to web/staging. */
export function webRelease(): ReleaseRequest {
  return {
    releaseId: 'web-staging-13cde686-328b-6117-af20-0e5566167482',
    target: {
      service: 'web',
      environment: 'staging',
      cluster: 'sandbox',
      ecsService: 'web',
      container: 'web',
      strategy: 'rolling',
      smoke: [],
      stabilityDeadlineSeconds: 600,
      slackChannel: '#releases',
      // Plan's: the automation's own account and region, the fixtures' (FIXTURE_HOME).
      access: { account: '123456789012', region: 'us-east-1' },
    },
    image: {
      repository: 'demo/web',
      tag: 'v2',
      digest: PUSHED_DIGEST,
      uri: `${REPOSITORY_URI}@${PUSHED_DIGEST}`,
      pushedAt: '2026-11-21T10:15:30.517Z',
    },
    trigger: { source: 'ecr-push', eventId: '13cde686-328b-6117-af20-0e5566167482', at: '2026-11-21T10:15:30Z' },
    currentTaskDefinitionArn: WEB_41,
    lockWaitDeadline: '2026-11-21T11:05:30.000Z',
  };
}

/** What deploy returned for it: web:41 → web:42, started 10:15:31. */
export function webDeployment(): DeployResult {
  return {
    strategy: 'rolling',
    previousTaskDefinitionArn: WEB_41,
    taskDefinitionArn: WEB_42,
    serviceDeploymentArn: DEPLOYMENT_ARN,
    startedAt: '2026-11-21T10:15:31.000Z',
    deadline: '2026-11-21T10:25:31.000Z',
  };
}

export const TG_BLUE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef';
export const TG_GREEN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/fedcba9876543210';
export const PROD_RULE =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
export const TEST_RULE =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/0467ef3c8400ae65/1e2f3a4b5c6d7e8f';
export const LB_ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers';

/** The same release with the catalog's canary strategy (ECS's defaults, the default analysis). */
export function canaryRelease(): ReleaseRequest {
  const request = webRelease();
  return {
    ...request,
    target: {
      ...request.target,
      strategy: 'canary',
      canary: { percent: 5, bakeMinutes: 10 },
      bakeMinutes: 10,
      loadBalancer: {
        targetGroupArn: TG_BLUE,
        alternateTargetGroupArn: TG_GREEN,
        productionListenerRuleArn: PROD_RULE,
        testListenerRuleArn: TEST_RULE,
        roleArn: LB_ROLE,
        containerPort: 8080,
      },
      analysis: defaultAnalysis(),
    },
  };
}
