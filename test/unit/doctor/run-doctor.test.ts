import { describe, expect, it } from '@jest/globals';
import { parseCatalog, resolvePlacement } from '../../../src/catalog/index.ts';
import {
  type DoctorCheck,
  type DoctorPorts,
  formatDoctorReport,
  runDoctor,
  type TargetReadPorts,
  UnknownServiceError,
} from '../../../src/doctor/index.ts';
import { TargetAccessError } from '../../../src/platform/errors.ts';

// The doctor's checks over fake ports: each first-day mistake is named with
// its fix, a ready world is all ✔, and 50 targets take a bounded number of
// round trips.

const TG = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop/0123456789abcdef';
const TG_ALT = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop-alt/fedcba9876543210';
const RULE =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const TEST_RULE =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab3/9683b2d02a6cabef';
const ROLE = 'arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers';

const environment = (service: string, container: string, extra = '') => `
        cluster: main
        service: ${service}
        container: ${container}
        repository: team/${service}
        slackChannel: "#releases"
        smoke:
          - { name: home, url: "https://${service}.example.com/" }${extra}`;

const canary = `
        strategy: canary
        loadBalancer:
          targetGroupArn: ${TG}
          alternateTargetGroupArn: ${TG_ALT}
          productionListenerRuleArn: ${RULE}
          testListenerRuleArn: ${TEST_RULE}
          roleArn: ${ROLE}
          containerPort: 8080`;

const catalogText = (services: Record<string, string>, secrets = '') =>
  `services:\n${Object.entries(services)
    .map(([name, env]) => `  ${name}:\n    environments:\n      staging:${env}`)
    .join('\n')}\n${secrets}`;

const SECRETS = `secrets:
  api-key:
    parameter: /app/api-key
    type: api-key
    schedule: rate(30 days)
`;

const OUTPUTS = {
  SlackCommandUrl: 'https://slack.lambda-url.us-east-1.on.aws/',
  GithubWebhookUrl: 'https://github.lambda-url.us-east-1.on.aws/',
  ReleaseStateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:release-automation-dev-release',
  RotationStateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:release-automation-dev-rotation',
  ReleasesTableName: 'release-automation-dev-releases',
  SlackTokenParameter: '/release-automation/slack/bot-token',
  SlackSigningSecretParameter: '/release-automation/slack/signing-secret',
  GithubWebhookSecretParameter: '/release-automation/dev/github/webhook-secret',
};

interface World {
  services: Record<string, { containers: string[]; targetGroup?: string; controller?: string }>;
  parameters: string[];
  latencyMs?: number;
  /** Deployment roles STS refuses to hand out. */
  refusedRoles?: string[];
}

/** Ports over an in-memory account; `calls` counts requests, `inFlight` their peak concurrency. */
function fakePorts(world: World) {
  const stats = { calls: 0, inFlight: 0, peak: 0 };
  const call = async <T>(value: () => T): Promise<T> => {
    stats.calls++;
    stats.inFlight++;
    stats.peak = Math.max(stats.peak, stats.inFlight);
    await new Promise((resolve) => setTimeout(resolve, world.latencyMs ?? 0));
    stats.inFlight--;
    return value();
  };
  const reach: Omit<TargetReadPorts, 'access' | 'assumeRole'> = {
    ecs: {
      describeService: (_cluster, service) =>
        call(() => {
          const found = world.services[service];
          return (
            found && {
              arn: `arn:aws:ecs:us-east-1:111122223333:service/main/${service}`,
              status: 'ACTIVE',
              taskDefinitionArn: `arn:aws:ecs:us-east-1:111122223333:task-definition/${service}:3`,
              ...(found.controller ? { deploymentController: found.controller } : {}),
              ...(found.targetGroup ? { productionTargetGroupArn: found.targetGroup } : {}),
              events: [],
            }
          );
        }),
      describeTaskDefinition: (arn) =>
        call(() => {
          const service = /task-definition\/([^:]+):/.exec(arn)?.[1] ?? '';
          const containers = world.services[service]?.containers ?? [];
          return {
            taskDefinition: {
              taskDefinitionArn: arn,
              family: service,
              revision: 3,
              containerDefinitions: containers.map((name) => ({ name })),
            },
            tags: [],
          };
        }),
    },
    repositories: { describe: () => call(() => ({ scanOnPush: true })) },
    metrics: { hasData: () => call(() => true) },
  };
  const ports: DoctorPorts = {
    parameters: { existing: (names) => call(() => new Set(names.filter((name) => world.parameters.includes(name)))) },
    reachability: { problem: () => call(() => undefined) },
    stack: { outputs: () => call(() => OUTPUTS) },
    target: ({ config }) => {
      const access = resolvePlacement(config, { account: '111122223333', region: 'us-east-1' });
      return {
        ...reach,
        access,
        assumeRole: async () => {
          if (access.roleArn !== undefined && world.refusedRoles?.includes(access.roleArn)) {
            throw new TargetAccessError(`cannot assume role ${access.roleArn}: AccessDenied: not trusted`);
          }
        },
      };
    },
  };
  return { ports, reach, stats };
}

const APP_PARAMETERS = [
  OUTPUTS.SlackTokenParameter,
  OUTPUTS.SlackSigningSecretParameter,
  OUTPUTS.GithubWebhookSecretParameter,
];
const failures = (checks: DoctorCheck[]) => checks.filter((check) => !check.ok);

describe('runDoctor', () => {
  it('is all ✔ on a ready account', async () => {
    const catalog = parseCatalog(
      catalogText({ web: environment('web', 'web'), shop: environment('shop', 'shop', canary) }, SECRETS),
      'catalog.yml',
      {},
    );
    const { ports } = fakePorts({
      services: { web: { containers: ['web'] }, shop: { containers: ['shop', 'envoy'], targetGroup: TG_ALT } },
      parameters: [...APP_PARAMETERS, '/app/api-key'],
    });
    const checks = await runDoctor({ catalog, stackName: 'release-automation-dev' }, ports);
    expect(failures(checks)).toEqual([]);
    expect(checks.map(({ target, check }) => `${target} ${check}`)).toEqual(
      expect.arrayContaining([
        'stack SlackCommandUrl',
        'parameters /app/api-key',
        'web/staging ecs-service',
        'web/staging container',
        'shop/staging strategy',
        'shop/staging analysis metrics',
        'shop/staging smoke home',
      ]),
    );
  });

  it('names each first-day mistake with its fix', async () => {
    const catalog = parseCatalog(
      catalogText(
        {
          ghost: environment('ghost', 'ghost'),
          web: environment('web', 'webapp'),
          shop: environment('shop', 'shop', canary),
        },
        SECRETS,
      ),
      'catalog.yml',
      {},
    );
    const { ports } = fakePorts({
      services: {
        web: { containers: ['web'] },
        // Made for rolling updates: one target group, not the catalog's pair.
        shop: {
          containers: ['shop'],
          targetGroup: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop-rolling/aaaa',
        },
      },
      parameters: APP_PARAMETERS,
    });
    const checks = await runDoctor({ catalog, stackName: 'release-automation-dev' }, ports);
    const failed = failures(checks);
    expect(failed.map(({ target, check }) => `${target} ${check}`).sort()).toEqual([
      'ghost/staging ecs-service',
      'parameters /app/api-key',
      'shop/staging strategy',
      'web/staging container',
    ]);
    const fix = (target: string) => failed.find((check) => check.target === target)?.fix;
    expect(fix('ghost/staging')).toContain('services.ghost.environments.staging.service');
    expect(fix('web/staging')).toBe('set services.web.environments.staging.container: web in the catalog');
    expect(fix('shop/staging')).toContain(
      `aws ecs update-service --cluster main --service shop --load-balancers targetGroupArn=${TG}`,
    );
    expect(fix('parameters')).toMatch(/^aws ssm put-parameter --name \/app\/api-key --type SecureString/);
    const report = formatDoctorReport(checks, 'release doctor');
    expect(report).toContain('✘ container: the task definition');
    expect(report).toContain('4 of');
  });

  it('says a non-ECS deployment controller cannot run a native strategy', async () => {
    const catalog = parseCatalog(catalogText({ shop: environment('shop', 'shop', canary) }), 'catalog.yml', {});
    const { ports } = fakePorts({
      services: { shop: { containers: ['shop'], targetGroup: TG, controller: 'CODE_DEPLOY' } },
      parameters: APP_PARAMETERS,
    });
    const [strategy] = failures(await runDoctor({ catalog, stackName: 's' }, ports));
    expect(strategy?.detail).toContain('uses CODE_DEPLOY');
    expect(strategy?.fix).toContain('--deployment-controller type=ECS');
  });

  it("with ELBv2 and IAM to ask, names a native strategy's missing target group, rule or role", async () => {
    const catalog = parseCatalog(catalogText({ shop: environment('shop', 'shop', canary) }), 'catalog.yml', {});
    const { ports, reach } = fakePorts({
      services: { shop: { containers: ['shop'], targetGroup: TG } },
      parameters: APP_PARAMETERS,
    });
    reach.loadBalancing = {
      targetGroupExists: async (arn) => arn !== TG_ALT,
      listenerRuleExists: async (arn) => arn !== TEST_RULE,
    };
    reach.roles = { roleExists: async () => false };
    const failed = failures(await runDoctor({ catalog, stackName: 's' }, ports));
    expect(failed.map(({ check }) => check)).toEqual(['load balancer', 'infrastructure role']);
    expect(failed[0]?.detail).toBe(`target group ${TG_ALT}, listener rule ${TEST_RULE} do not exist`);
    expect(failed[0]?.fix).toContain('services.shop.environments.staging.loadBalancer.alternateTargetGroupArn');
    expect(failed[1]?.fix).toContain('aws iam create-role --role-name ecsInfrastructureRoleForLoadBalancers');
  });

  it('turns a port that cannot read into that check’s ✘, never a crash', async () => {
    const catalog = parseCatalog(catalogText({ web: environment('web', 'web') }), 'catalog.yml', {});
    const { ports, reach } = fakePorts({ services: { web: { containers: ['web'] } }, parameters: APP_PARAMETERS });
    const denied = Object.assign(new Error('not authorized to perform ecr:DescribeRepositories'), {
      name: 'AccessDeniedException',
    });
    reach.repositories = { describe: () => Promise.reject(denied) };
    const [repository] = failures(await runDoctor({ catalog, stackName: 's' }, ports));
    expect(repository?.detail).toContain('AccessDeniedException');
  });

  it("checks each target's deployment role: one STS refuses is ✘ with the role, the reason and the fix, and its service is not read", async () => {
    const production = (role: string) =>
      `${environment('web', 'web')}\n        account: "222222222222"\n        region: us-west-2\n        roleArn: ${role}`;
    const TRUSTED = 'arn:aws:iam::222222222222:role/release-automation-deploy';
    const REFUSED = 'arn:aws:iam::222222222222:role/not-deployed';
    const catalog = parseCatalog(
      `services:\n  web:\n    environments:\n      production:${production(TRUSTED)}\n  api:\n    environments:\n      production:${production(REFUSED).replace(/web/g, 'api')}\n`,
      'catalog.yml',
      {},
    );
    const { ports } = fakePorts({
      services: { web: { containers: ['web'] }, api: { containers: ['api'] } },
      parameters: APP_PARAMETERS,
      refusedRoles: [REFUSED],
    });
    const checks = await runDoctor({ catalog, stackName: 's' }, ports);
    expect(checks.filter((c) => c.target === 'web/production').map(({ check, ok }) => [check, ok])).toEqual([
      ['deployment role', true],
      ['ecs-service', true],
      ['container', true],
      ['repository', true],
      ['smoke home', true],
    ]);
    expect(checks.find((c) => c.check === 'deployment role' && c.ok)?.detail).toBe(
      `${TRUSTED} can be assumed: acting in 222222222222/us-west-2 as release-automation-deploy`,
    );
    const api = checks.filter((c) => c.target === 'api/production');
    expect(api.map(({ check, ok }) => [check, ok])).toEqual([
      ['deployment role', false],
      ['repository', true],
      ['smoke home', true],
    ]);
    expect(api[0]?.detail).toBe(`cannot assume role ${REFUSED}: AccessDenied: not trusted`);
    expect(api[0]?.fix).toContain('npx release target-role --account 222222222222');
    expect(api[0]?.fix).toContain('services.api.environments.production.roleArn');
  });

  it('refuses a --service the catalog does not have, naming those it has', async () => {
    const catalog = parseCatalog(catalogText({ web: environment('web', 'web') }), 'catalog.yml', {});
    const { ports } = fakePorts({ services: {}, parameters: [] });
    await expect(runDoctor({ catalog, stackName: 's', service: 'wbe' }, ports)).rejects.toThrow(
      new UnknownServiceError('"wbe" is not a service in the catalog (it has web)'),
    );
  });

  it('checks 50 targets with at most 8 at once (a bench: the time is printed, not asserted)', async () => {
    const names = Array.from({ length: 50 }, (_, index) => `svc-${index}`);
    const catalog = parseCatalog(
      catalogText(Object.fromEntries(names.map((name) => [name, environment(name, name)]))),
      'catalog.yml',
      {},
    );
    const { ports, stats } = fakePorts({
      services: Object.fromEntries(names.map((name) => [name, { containers: [name] }])),
      parameters: APP_PARAMETERS,
      latencyMs: 40,
    });
    const started = performance.now();
    const checks = await runDoctor({ catalog, stackName: 's', concurrency: 8 }, ports);
    const elapsed = performance.now() - started;
    console.log(
      `doctor bench: 50 targets, ${stats.calls} calls at 40 ms each, ${Math.round(elapsed)} ms (${stats.calls * 40} ms one by one)`,
    );
    expect(failures(checks)).toEqual([]);
    // Per target: describe service, then its task definition; repository and smoke alongside.
    expect(stats.peak).toBeLessThanOrEqual(8 * 3);
  });
});
