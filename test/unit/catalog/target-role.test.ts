import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { matchesPattern } from '../../../sandbox/eventbus/pattern.ts';
import {
  type Catalog,
  DEFAULT_TARGET_ROLE_NAME,
  FORWARDED_ECS_EVENTS,
  type Json,
  loadCatalogFile,
  TARGET_FUNCTIONS,
  TargetRoleError,
  targetRoleAccount,
  targetRoleTemplate,
} from '../../../src/catalog/index.ts';
import { targetRole } from '../../../src/cli/target-role.ts';
import { cfnLint, describeWithCfnLint } from '../../support/cfn-lint.ts';

// `npx release target-role`: the template a target account deploys. Least privilege is asserted on
// what it allows and whom it trusts, held to what the functions' adapters call and to serverless.yml;
// CloudFormation's acceptance by cfn-lint on the templates of both accounts of the fixture.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const catalog = loadCatalogFile(join(root, 'test/fixtures/catalog/accounts.yml'), {});
const automation = { region: 'us-east-1', prefix: 'release-automation-dev' };
const PRODUCTION = '222222222222';
const TOOLS = '333333333333';

type Statement = { Sid: string; Action: string[]; Resource: Json; Condition?: Json; Principal?: Json };
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, Json> }> };

const templateOf = (account: string) => targetRoleTemplate(catalog, account, automation).template as Template;
const roleOf = (account: string) => templateOf(account).Resources.DeploymentRole?.Properties as Record<string, Json>;
// The role's statements, those kept under a condition (Fn::If) included.
const statementsOf = (account: string): Statement[] =>
  ((roleOf(account).Policies as { PolicyDocument: { Statement: Json[] } }[])[0]?.PolicyDocument.Statement ?? []).map(
    (statement) => ((statement as Record<string, Json>)['Fn::If'] as Json[] | undefined)?.[1] ?? statement,
  ) as Statement[];
const actionsOf = (account: string) => statementsOf(account).flatMap((s) => s.Action);
const text = (json: Json | undefined) => JSON.stringify(json);

// The actions AWS authorizes on no resource (the Service Authorization Reference): the only ones '*' may name.
const NO_RESOURCE_LEVEL = [
  'ecs:DescribeTaskDefinition',
  'ecs:RegisterTaskDefinition',
  'ecs:ListTaskDefinitions',
  'ecs:ListTasks',
  'cloudwatch:GetMetricData',
];

describe('target-role: which account', () => {
  it('takes the account asked, refuses one the catalog does not name, and asks for one among several', () => {
    expect(targetRoleAccount(catalog, PRODUCTION)).toBe(PRODUCTION);
    expect(() => targetRoleAccount(catalog, '444444444444')).toThrow(
      new TargetRoleError('the catalog names no account 444444444444 (it names 222222222222, 333333333333)'),
    );
    expect(() => targetRoleAccount(catalog, undefined)).toThrow(
      'the catalog names 2 accounts: give one with --account (222222222222, 333333333333)',
    );
  });

  it('defaults to the only account named, and refuses a catalog naming none', () => {
    const web = catalog.services.web as Catalog['services'][string];
    const production = web.environments.production as Catalog['services'][string]['environments'][string];
    const one: Catalog = {
      ...catalog,
      services: { web: { ...web, environments: { production: { ...production, registry: undefined } } } },
    };
    expect(targetRoleAccount(one, undefined)).toBe(PRODUCTION);
    const none: Catalog = {
      ...catalog,
      services: {
        web: {
          ...web,
          environments: {
            staging: {
              ...production,
              account: undefined,
              roleArn: undefined,
              externalId: undefined,
              registry: undefined,
            },
          },
        },
      },
    };
    expect(() => targetRoleAccount(none, undefined)).toThrow('the catalog names no account');
  });

  it('refuses an account whose targets name two different roles', () => {
    const web = catalog.services.web as Catalog['services'][string];
    const production = web.environments.production as Catalog['services'][string]['environments'][string];
    const two: Catalog = {
      ...catalog,
      services: {
        web: {
          ...web,
          environments: {
            production,
            canary: { ...production, service: 'web-canary', roleArn: `arn:aws:iam::${PRODUCTION}:role/other` },
          },
        },
      },
    };
    expect(() => targetRoleTemplate(two, PRODUCTION, automation)).toThrow(/names 2 roles in 222222222222/);
  });
});

describe('target-role: the deployment role', () => {
  it('is named as the catalog names it, path included, else release-automation-deploy', () => {
    const web = catalog.services.web as Catalog['services'][string];
    const production = web.environments.production as Catalog['services'][string]['environments'][string];
    const withRole = (roleArn: string | undefined): Catalog => ({
      ...catalog,
      services: {
        web: {
          ...web,
          environments: { production: { ...production, roleArn, externalId: undefined, registry: undefined } },
        },
      },
    });
    const role = (c: Catalog) => {
      const { template } = targetRoleTemplate(c, PRODUCTION, automation);
      const { Parameters, Resources } = template as { Parameters: Record<string, { Default?: string }> } & Template;
      return { name: Parameters.RoleName?.Default, path: Resources.DeploymentRole?.Properties.Path };
    };
    expect(role(withRole(`arn:aws:iam::${PRODUCTION}:role/platform/releaser`))).toEqual({
      name: 'releaser',
      path: '/platform/',
    });
    expect(role(withRole(undefined))).toEqual({ name: DEFAULT_TARGET_ROLE_NAME, path: undefined });
  });

  it('names the role the catalog names, and takes no action on "*" that AWS scopes to a resource', () => {
    expect(roleOf(PRODUCTION).RoleName).toEqual({ Ref: 'RoleName' });
    const parameters = targetRoleTemplate(catalog, PRODUCTION, automation).template.Parameters as Record<
      string,
      Record<string, Json>
    >;
    expect(parameters.RoleName?.Default).toBe('release-automation-deploy');
    for (const account of [PRODUCTION, TOOLS]) {
      for (const statement of statementsOf(account).filter(
        (s) => text(s.Resource).includes('"*"') || s.Resource === '*',
      )) {
        expect({ sid: statement.Sid, actions: statement.Action.filter((a) => !NO_RESOURCE_LEVEL.includes(a)) }).toEqual(
          {
            sid: statement.Sid,
            actions: [],
          },
        );
      }
    }
    const listTasks = statementsOf(PRODUCTION).find((s) => s.Action.includes('ecs:ListTasks'));
    expect(text(listTasks?.Condition)).toContain(`:ecs:us-west-2:${PRODUCTION}:cluster/prod"`);
  });

  it("scopes ECS to the catalog's services in that account and region, nothing of the others", () => {
    const services = statementsOf(PRODUCTION).find((s) => s.Sid === 'Services');
    expect(services?.Resource).toEqual([
      { 'Fn::Sub': `arn:\${AWS::Partition}:ecs:us-west-2:${PRODUCTION}:service/prod/shop` },
      { 'Fn::Sub': `arn:\${AWS::Partition}:ecs:us-west-2:${PRODUCTION}:service/prod/web-production` },
    ]);
    // Staging (the automation's own account) is in neither template; the tools account gets ECR only.
    expect(text(templateOf(PRODUCTION))).not.toContain('service/apps/');
    expect(actionsOf(TOOLS).every((action) => action.startsWith('ecr:'))).toBe(true);
    expect(statementsOf(TOOLS)[0]?.Resource).toEqual([
      { 'Fn::Sub': `arn:\${AWS::Partition}:ecr:us-east-1:${TOOLS}:repository/demo/shop` },
      { 'Fn::Sub': `arn:\${AWS::Partition}:ecr:us-east-1:${TOOLS}:repository/demo/web` },
    ]);
  });

  it('passes only the load balancer roles the catalog names (to ECS) and the task roles given (to ECS tasks)', () => {
    const passes = statementsOf(PRODUCTION).filter((s) => s.Action.includes('iam:PassRole'));
    expect(passes.map((s) => [s.Resource, text(s.Condition)])).toEqual([
      [{ Ref: 'TaskRoleArns' }, '{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}'],
      [
        [`arn:aws:iam::${PRODUCTION}:role/ecsInfrastructureRoleForLoadBalancers`],
        '{"StringEquals":{"iam:PassedToService":"ecs.amazonaws.com"}}',
      ],
    ]);
  });

  it("trusts only the automation's functions that act in a target (and the operators' roles listed), with the catalog's external id; no '*' principal", () => {
    const [trust, ...others] = (roleOf(PRODUCTION).AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(others).toEqual([]);
    expect(trust?.Principal).toEqual({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AutomationAccount}:root' } });
    const functionRoles = TARGET_FUNCTIONS.map((name) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AutomationAccount}:role/\${AutomationPrefix}-${name}-\${AutomationRegion}*`,
    }));
    expect(trust?.Condition).toEqual({
      ArnLike: {
        'aws:PrincipalArn': {
          // The functions' roles, and the operators' roles the stack lists (release doctor --aws, release watch).
          'Fn::If': [
            'TrustsOperators',
            {
              'Fn::Split': [
                ',',
                {
                  'Fn::Join': [
                    ',',
                    [{ 'Fn::Join': [',', functionRoles] }, { 'Fn::Join': [',', { Ref: 'OperatorRoleArns' }] }],
                  ],
                },
              ],
            },
            functionRoles,
          ],
        },
      },
      StringEquals: { 'sts:ExternalId': ['release-automation-prod'] },
    });
    for (const account of [PRODUCTION, TOOLS]) {
      expect(text(templateOf(account))).not.toMatch(/"Principal":"\*"|"AWS":"\*"|"AWS":\["\*"/);
    }
  });

  it("stays within IAM's 2,048 characters of trust policy for a long stage name, and an operator's role", () => {
    // As CloudFormation resolves it with one operator role listed: its Fn::If taken, its Ref and Subs substituted.
    const operator = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_*';
    const document = roleOf(PRODUCTION).AssumeRolePolicyDocument as { Statement: Statement[] };
    const [trust] = document.Statement;
    // Each function role once (the condition names them in both of its branches).
    const functions = [...new Set(text(trust?.Condition).match(/arn:[^"]*\*/g) ?? [])];
    const taken = {
      ...trust,
      Condition: { ...(trust?.Condition as object), ArnLike: { 'aws:PrincipalArn': [...functions, operator] } },
    };
    const resolved = text({ ...document, Statement: [taken] })
      .replaceAll('${AWS::Partition}', 'aws')
      .replaceAll('${AutomationAccount}', '123456789012')
      .replaceAll('${AutomationPrefix}', 'release-automation-production')
      .replaceAll('${AutomationRegion}', 'ap-southeast-2')
      .replaceAll(/\{"Fn::Sub":("[^"]*")\}/g, '$1');
    expect(resolved).not.toContain('Fn::');
    expect(resolved.length).toBeLessThan(2048);
  });
});

describe('target-role: the forwarding rules', () => {
  // A rule's pattern as EventBridge reads it once CloudFormation has substituted the partition.
  const patternOf = (account: string, rule: string) =>
    JSON.parse(
      JSON.stringify(templateOf(account).Resources[rule]?.Properties.EventPattern).replace(
        /\{"Fn::Sub":"([^"]*)"\}/g,
        (_, arn: string) => JSON.stringify(arn.replace('${AWS::Partition}', 'aws')),
      ),
    ) as Record<string, unknown>;
  const sample = (file: string) =>
    JSON.parse(readFileSync(join(root, 'events', file), 'utf8')) as Record<string, unknown>;

  it("forwards the deployment events of the catalog's services in the account, not another service's", () => {
    const pattern = patternOf(PRODUCTION, 'ForwardEcsEvents');
    for (const file of ['aws.ecs/deployment-state-change.json', 'aws.ecs/service-action.json']) {
      const event = (service: string) => ({
        ...sample(file),
        account: PRODUCTION,
        region: 'us-west-2',
        resources: [`arn:aws:ecs:us-west-2:${PRODUCTION}:service/${service}`],
      });
      expect([
        matchesPattern(pattern, event('prod/web-production')),
        matchesPattern(pattern, event('prod/other')),
      ]).toEqual([true, false]);
    }
  });

  it("forwards the pushes to the catalog's repositories in a registry account, not another repository's", () => {
    const pattern = patternOf(TOOLS, 'ForwardEcrPushes');
    const push = (repository: string) => {
      const event = sample('aws.ecr/push.json');
      return { ...event, account: TOOLS, detail: { ...(event.detail as object), 'repository-name': repository } };
    };
    expect([matchesPattern(pattern, push('demo/web')), matchesPattern(pattern, push('demo/other'))]).toEqual([
      true,
      false,
    ]);
    expect(matchesPattern(pattern, sample('aws.ecr/push-failed.json'))).toBe(false);
  });
});

describe('target-role: held to the code and to serverless.yml', () => {
  // Every `new XCommand(` of an ECS, ECR, CloudWatch or ELB client in the functions' adapters (the CLI's,
  // the doctor's and the dashboard's run with the user's own credentials).
  const clients: Record<string, string> = {
    'client-ecs': 'ecs',
    'client-ecr': 'ecr',
    'client-cloudwatch': 'cloudwatch',
    'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  };
  const called = new Set<string>();
  for (const feature of ['release', 'canary', 'insight', 'rotation', 'approvals', 'github', 'slack']) {
    const dir = join(root, 'src', feature, 'adapters');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((file) => file.endsWith('.ts'));
    } catch {
      continue;
    }
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const [, names = '', client = ''] of source.matchAll(/import\s*{([^}]*)}\s*from\s*'@aws-sdk\/([\w-]+)'/g)) {
        const service = clients[client];
        if (service === undefined) continue;
        for (const [, command] of names.matchAll(/\b(\w+)Command\b/g)) {
          if (source.includes(`new ${command}Command(`)) called.add(`${service}:${command}`);
        }
      }
    }
  }
  // The automation's own metrics (ReleasesSucceeded, OldestRunningReleaseSeconds) go to its own account.
  called.delete('cloudwatch:PutMetricData');

  it('allows exactly the actions the adapters call, and the tags and roles those calls need', () => {
    expect([...called]).toEqual(
      expect.arrayContaining(['ecs:UpdateService', 'ecr:BatchGetImage', 'cloudwatch:GetMetricData']),
    );
    const allowed = new Set([...actionsOf(PRODUCTION), ...actionsOf(TOOLS)]);
    expect([...called].filter((action) => !allowed.has(action))).toEqual([]);
    const implied = ['ecs:ListTagsForResource', 'ecs:TagResource', 'iam:PassRole'];
    expect([...allowed].filter((action) => !called.has(action) && !implied.includes(action))).toEqual([]);
  });

  // serverless.yml as written (its own variables unresolved, its anchors followed).
  const config = parseDocument(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }).toJS({
    maxAliasCount: -1,
  }) as { functions: Record<string, { iamRoleStatements?: { Action: string[]; Resource: unknown }[] }> };
  const functionsAllowed = (pattern: RegExp) =>
    Object.entries(config.functions)
      .filter(([, fn]) =>
        (fn.iamRoleStatements ?? []).some((statement) => [statement.Action].flat().some((a) => pattern.test(a))),
      )
      .map(([name]) => name)
      .sort();

  it('trusts the functions whose statements in serverless.yml reach ECS, ECR, ELB or CloudWatch metrics', () => {
    expect([...TARGET_FUNCTIONS].sort()).toEqual(
      functionsAllowed(/^(ecs|ecr|elasticloadbalancing):|^cloudwatch:GetMetricData$/),
    );
  });

  it("forwards the ECS events the automation's ecsEvents rule matches", () => {
    const events = (config.functions.ecsEvents as { events: { eventBridge: { pattern: Record<string, unknown> } }[] })
      .events[0]?.eventBridge.pattern;
    expect(events?.['detail-type']).toEqual(FORWARDED_ECS_EVENTS.detailTypes);
    expect(events?.detail).toEqual({ eventName: FORWARDED_ECS_EVENTS.eventNames });
  });

  it("lets exactly those functions assume a target's role, and only the catalog's roles", () => {
    expect(functionsAllowed(/^sts:AssumeRole$/)).toEqual([...TARGET_FUNCTIONS].sort());
    const resources = Object.values(config.functions).flatMap((fn) =>
      (fn.iamRoleStatements ?? []).filter((s) => s.Action.includes('sts:AssumeRole')).map((s) => s.Resource),
    );
    expect(new Set(resources)).toEqual(new Set(['${self:custom.catalog.assumeRoleArns}']));
  });
});

describeWithCfnLint('target-role: cfn-lint', () => {
  it('passes the templates of the production and the tools account, YAML and JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'target-role-'));
    const target = { stage: 'dev', region: 'us-east-1' };
    for (const [account, json] of [
      [PRODUCTION, false],
      [TOOLS, true],
    ] as const) {
      const file = join(dir, `${account}.${json ? 'json' : 'yml'}`);
      writeFileSync(file, targetRole(catalog, target, { account, json }));
      expect(await cfnLint(file)).toEqual({ code: 0, output: '' });
    }
  }, 120_000);
});
