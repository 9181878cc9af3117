import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { productionDemoSpec } from '../../sandbox/ecs/seed.ts';
import { trustPolicy } from '../../sandbox/iam/seed.ts';
import { SANDBOX_GITHUB_WEBHOOK_SECRET, SANDBOX_SLACK_TOKEN } from '../../sandbox/index.ts';
import { sdkConfig } from '../sandbox/support/clients.ts';
import { releaseProcess, useReleaseSandbox } from './support/e2e.ts';

// The README's first-day guide, walked on a sandbox: a catalog with the four
// mistakes a first deploy makes (a service that does not exist, a wrong
// container name, a canary strategy on a service made for rolling updates
// (web-rolling, behind its one target group), a
// rotated secret whose parameter was never created) is reported mistake by
// mistake with its fix and exit 1; once fixed as the fixes say, every check is
// ✔ and the exit code 0. `release doctor` and `release slack-manifest` run as
// real processes, as a platform engineer runs them.

const rs = useReleaseSandbox({ canaryDemo: true, productionDemo: true });
const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
const API_KEY_PARAMETER = '/release-automation/sandbox/web/api-key';
let ssm: SSMClient;

// The sandbox's canary demo load balancer (its ids derive from names: the same at every start).
const SHOP_LB = `
          targetGroupArn: arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/sandbox-shop/61a6cfbc560a3ff9
          alternateTargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/sandbox-shop-alt/b2d9306d7824ed34
          productionListenerRuleArn: arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/sandbox-shop/9a7f6111211be7b6/d3a944c0bfd213f6/6e64460ab6ecd1e0
          testListenerRuleArn: arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/sandbox-shop/9a7f6111211be7b6/81436c1266db850b/df672762ee032688
          roleArn: arn:aws:iam::000000000000:role/ecsInfrastructureRoleForLoadBalancers
          containerPort: 8080`;

// Where the demo keeps web's images (config/catalog.yml; the sandbox made the role from it).
const TOOLS_REGISTRY = `
        registry: { account: "333333333333", roleArn: "arn:aws:iam::333333333333:role/release-automation-deploy" }`;

const catalog = ({ broken }: { broken: boolean }) => `
services:
  web:
    environments:
      staging:
        cluster: sandbox
        service: web
        container: ${broken ? 'webapp' : 'web'}
        repository: demo/web${TOOLS_REGISTRY}
        smoke: [{ name: home, url: "\${WEB_STAGING_URL}" }]
        slackChannel: "#releases"
${
  broken
    ? `  ghost:
    environments:
      staging:
        cluster: sandbox
        service: ghost
        container: ghost
        repository: demo/web${TOOLS_REGISTRY}
        slackChannel: "#releases"
`
    : ''
}  shop:
    environments:
      staging:
        cluster: sandbox
        service: ${broken ? 'web-rolling' : 'shop'}
        container: ${broken ? 'web' : 'shop'}
        repository: demo/shop
        strategy: canary
        canary: { percent: 10, bakeMinutes: 5 }
        loadBalancer:${SHOP_LB}
        testSmoke: [{ name: canary-home, url: "\${SHOP_STAGING_TEST_URL}" }]
        smoke: [{ name: home, url: "\${SHOP_STAGING_URL}" }]
        slackChannel: "#releases"
secrets:
  web-api-key:
    parameter: ${API_KEY_PARAMETER}
    type: api-key
    schedule: rate(30 days)
`;

const catalogFile = (broken: boolean) => {
  const file = join(dir, broken ? 'broken.yml' : 'fixed.yml');
  writeFileSync(file, catalog({ broken }));
  return file;
};

/**
 * `release <args>` as a real process against the sandbox and the catalog `file`; the smoke URLs'
 * variables (the load balancers' free ports) come from the sandbox, as the doctor reads them.
 */
const releaseCli = (file: string, ...args: string[]) =>
  releaseProcess([...args, '--endpoint-url', rs.sandbox.endpoint], 60_000, {
    ...process.env,
    RELEASE_CATALOG_FILE: file,
  });

interface Check {
  target: string;
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

beforeAll(async () => {
  ssm = new SSMClient(sdkConfig(rs.sandbox.endpoint));
  // A service made for rolling updates, behind its one target group, in the automation's own account
  // (the demo's web-production, as the sandbox's production account has it, here).
  await rs.world.ensureService({ ...productionDemoSpec(), service: 'web-rolling', family: 'web-rolling' });
}, 30_000);
afterAll(() => ssm?.destroy());

describe('release doctor on a catalog with the four first-day mistakes', () => {
  it('names each, with its fix, and exits 1', async () => {
    const { code, stdout } = await releaseCli(catalogFile(true), 'doctor');
    expect(code).toBe(1);
    const failedLines = stdout.split('\n').filter((line) => line.includes('✘'));
    expect(failedLines).toEqual([
      expect.stringContaining(`✘ ${API_KEY_PARAMETER}: missing: catalog secret web-api-key`),
      expect.stringContaining(
        '✘ container: the task definition arn:aws:ecs:us-east-1:000000000000:task-definition/web:1 has no container webapp (it has web)',
      ),
      expect.stringContaining('✘ ecs-service: ECS service ghost in cluster sandbox does not exist'),
      expect.stringContaining(
        "✘ strategy: strategy canary moves traffic between the catalog's target groups, but ECS service web-rolling forwards to targetgroup/sandbox-web-rolling/",
      ),
    ]);
    expect(stdout).toContain(`fix: aws ssm put-parameter --name ${API_KEY_PARAMETER} --type SecureString`);
    expect(stdout).toContain('fix: set services.web.environments.staging.container: web in the catalog');
    expect(stdout).toContain('correct services.ghost.environments.staging.service / .cluster in the catalog');
    expect(stdout).toContain(
      'aws ecs update-service --cluster sandbox --service web-rolling --load-balancers targetGroupArn=',
    );
    expect(stdout).toMatch(/4 of \d+ checks failed/);
    // Names only: the doctor never reads a secret's value.
    for (const secret of [SANDBOX_SLACK_TOKEN, SANDBOX_GITHUB_WEBHOOK_SECRET]) expect(stdout).not.toContain(secret);
  });

  it('--json is one parseable object with every check', async () => {
    const { code, stdout } = await releaseCli(catalogFile(true), 'doctor', '--json');
    expect(code).toBe(1);
    const { checks } = JSON.parse(stdout) as { checks: Check[] };
    expect(checks.filter((check) => !check.ok).map(({ target, check }) => `${target} ${check}`)).toEqual([
      `parameters ${API_KEY_PARAMETER}`,
      'web/staging container',
      'ghost/staging ecs-service',
      'shop/staging strategy',
    ]);
    expect(checks.every((check) => check.ok || typeof check.fix === 'string')).toBe(true);
  });
});

describe('release doctor once the fixes are made', () => {
  it('is all ✔ and exits 0', async () => {
    await ssm.send(new PutParameterCommand({ Name: API_KEY_PARAMETER, Value: 'first-value', Type: 'SecureString' }));
    const { code, stdout } = await releaseCli(catalogFile(false), 'doctor');
    expect(stdout).not.toContain('✘');
    expect(stdout).toMatch(/all \d+ checks passed/);
    expect(stdout).toContain(`✔ SlackCommandUrl: ${rs.sandbox.functionUrls.slackCommand}`);
    expect(stdout).toContain('✔ analysis metrics: AWS/ApplicationELB RequestCount has data');
    expect(code).toBe(0);
  });

  it('--service checks one service; an unknown one is a clear error', async () => {
    const one = await releaseCli(catalogFile(false), 'doctor', '--service', 'web', '--json');
    expect(one.code).toBe(0);
    const targets = new Set((JSON.parse(one.stdout) as { checks: Check[] }).checks.map((check) => check.target));
    expect([...targets]).toEqual(['stack', 'parameters', 'web/staging']);
    const unknown = await releaseCli(catalogFile(false), 'doctor', '--service', 'wbe');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('UnknownServiceError: "wbe" is not a service in the catalog (it has web, shop)');
  });
});

describe('release doctor across accounts', () => {
  // Production in 222222222222/us-west-2, its image in the tools account 333333333333; web's
  // deployment role exists there and trusts the automation's account, api's was never deployed.
  const DEPLOY_ROLE = 'arn:aws:iam::222222222222:role/release-automation-deploy';
  const MISSING_ROLE = 'arn:aws:iam::222222222222:role/api-deploy';
  const REGISTRY_ROLE = 'arn:aws:iam::333333333333:role/release-automation-registry';
  const production = (service: string, role: string) => `
      production:
        account: "222222222222"
        region: us-west-2
        roleArn: ${role}
        cluster: sandbox
        service: ${service}
        container: web
        repository: demo/web
        registry: { account: "333333333333", region: us-west-2, roleArn: ${REGISTRY_ROLE} }
        slackChannel: "#releases"`;
  const accountsCatalog = () => {
    const file = join(dir, 'accounts.yml');
    writeFileSync(
      file,
      `services:\n  web:\n    environments:${production('web-west', DEPLOY_ROLE)}\n  api:\n    environments:${production('api', MISSING_ROLE)}\n`,
    );
    return file;
  };

  beforeAll(async () => {
    for (const [account, roleName] of [
      ['222222222222', 'release-automation-deploy'],
      ['333333333333', 'release-automation-registry'],
    ] as const) {
      const iam = new IAMClient({
        ...sdkConfig(rs.sandbox.endpoint),
        credentials: { accessKeyId: account, secretAccessKey: 'test' },
      });
      // The demo's catalog names 222222222222's deployment role: the sandbox made it at start.
      await iam
        .send(
          new CreateRoleCommand({
            RoleName: roleName,
            AssumeRolePolicyDocument: trustPolicy({ trustedPrincipals: ['000000000000'] }),
          }),
        )
        .catch((error: unknown) => {
          if ((error as Error).name !== 'EntityAlreadyExistsException') throw error;
        });
      iam.destroy();
    }
    await rs.world.ensureService({
      ...productionDemoSpec(),
      service: 'web-west',
      family: 'web-west',
      location: { accountId: '222222222222', region: 'us-west-2' },
      imageLocation: { accountId: '333333333333', region: 'us-west-2' },
    });
  }, 30_000);

  it('reads a target through its deployment role, in its account and region; a role that cannot be assumed is ✘ by name, with the fix', async () => {
    const { code, stdout } = await releaseCli(accountsCatalog(), 'doctor', '--json');
    const { checks } = JSON.parse(stdout) as { checks: Check[] };
    const of = (target: string) => checks.filter((check) => check.target === target);
    expect(of('web/production').map(({ check, ok }) => [check, ok])).toEqual([
      ['deployment role', true],
      ['ecs-service', true],
      ['container', true],
      ['repository', true],
    ]);
    expect(of('web/production')[0]?.detail).toBe(
      `${DEPLOY_ROLE} can be assumed: acting in 222222222222/us-west-2 as release-automation-deploy`,
    );
    expect(of('web/production')[2]?.detail).toContain('arn:aws:ecs:us-west-2:222222222222:task-definition/web-west:1');
    const [role, ...rest] = of('api/production');
    expect(role).toMatchObject({ check: 'deployment role', ok: false });
    expect(role?.detail).toContain(`cannot assume role ${MISSING_ROLE}`);
    expect(role?.fix).toContain('npx release target-role --account 222222222222');
    // Its service is not read; the registry, reached through its own role, still is.
    expect(rest.map(({ check, ok }) => [check, ok])).toEqual([['repository', true]]);
    expect(code).toBe(1);
  });
});

describe('release slack-manifest', () => {
  it('prints a manifest a YAML parser reads: /release and interactivity at the slack-command URL, only the scopes used', async () => {
    const { code, stdout } = await releaseCli(catalogFile(false), 'slack-manifest');
    expect(code).toBe(0);
    const manifest = parse(stdout) as {
      features: { slash_commands: { command: string; url: string }[] };
      settings: { interactivity: { request_url: string } };
      oauth_config: { scopes: { bot: string[] } };
    };
    const url = rs.sandbox.functionUrls.slackCommand;
    expect(manifest.features.slash_commands.map(({ command, url }) => [command, url])).toEqual([['/release', url]]);
    expect(manifest.settings.interactivity.request_url).toBe(url);
    expect(manifest.oauth_config.scopes.bot).toEqual(['chat:write', 'commands', 'usergroups:read']);
    expect(stdout).toContain(`#   Payload URL:   ${rs.sandbox.functionUrls.githubWebhook}`);
  });
});

describe('bad input is a clear error', () => {
  it('an unreachable endpoint', async () => {
    const { code, stderr } = await releaseProcess(['doctor', '--endpoint-url', 'http://127.0.0.1:9'], 30_000);
    expect(code).toBe(1);
    expect(stderr).toContain('DoctorConnectionError: cannot reach the sandbox at http://127.0.0.1:9');
    expect(stderr).toContain('npm start');
  });

  it('--aws without credentials', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    const { code, stderr } = await releaseProcess(['doctor', '--aws', '--region', 'us-east-1'], 30_000, {
      ...env,
      AWS_CONFIG_FILE: join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('DoctorConnectionError: no AWS credentials');
  });
});
