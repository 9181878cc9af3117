import { catalogAccounts, namedAccount } from './account.ts';
import type { Catalog, EnvironmentConfig } from './schema.ts';

// `npx release target-role`: the CloudFormation template a target account
// deploys so that the automation may act there (issue 20), and no more. Its
// deployment role allows exactly the ECS, CloudWatch and ECR actions the
// functions' adapters call (src/release/adapters/ecs.ts, ecr.ts,
// ecr-scan-findings.ts, src/canary/adapters/cloudwatch-metrics.ts,
// src/insight/adapters/image-annotations.ts), on the catalog's clusters,
// services and repositories in that account, as serverless.yml scopes them in
// the automation's own; it trusts only the functions that call them. Rules
// forward the events the automation listens for to its default bus.

/** The deployment role's name where the catalog names none for the account. */
export const DEFAULT_TARGET_ROLE_NAME = 'release-automation-deploy';

/**
 * The functions (serverless.yml's keys) that call ECS, ECR or CloudWatch for a target: the only ones that assume a
 * target's role, and the only ones it trusts. test/unit/catalog/target-role.test.ts holds serverless.yml to it.
 */
export const TARGET_FUNCTIONS = [
  'plan',
  'deploy',
  'waitStable',
  'awaitDeployment',
  'ecsEvents',
  'reconcileWaits',
  'advance',
  'canaryCheck',
  'watchRollout',
  'rollback',
  'finish',
  'slackCommand',
  'reconcilePushes',
  'rotateSecret',
  'rotateDependents',
  'rotateRoll',
  'rotateRollback',
] as const;

/** The ECS events the automation's ecsEvents rule matches (serverless.yml): all a target account forwards of ECS. */
export const FORWARDED_ECS_EVENTS = {
  detailTypes: ['ECS Deployment State Change', 'ECS Service Action'],
  eventNames: [
    'SERVICE_DEPLOYMENT_IN_PROGRESS',
    'SERVICE_DEPLOYMENT_COMPLETED',
    'SERVICE_DEPLOYMENT_FAILED',
    'SERVICE_STEADY_STATE',
    'SERVICE_TASK_START_IMPAIRED',
  ],
};

/** A template's JSON. */
export type Json = string | number | boolean | Json[] | { [key: string]: Json };

/** The template, and why each policy statement is there (by Sid), for the YAML's comments. */
export interface TargetRoleTemplate {
  template: { [key: string]: Json };
  why: Record<string, string>;
}

/** Which account's template: asked for one the catalog does not name, or none where it names several. */
export class TargetRoleError extends Error {
  override readonly name = 'TargetRoleError';
}

/** The automation the template's role trusts, as far as the CLI knows it: the defaults of its parameters. */
export interface Automation {
  /** Where the automation is deployed; also where a target naming no region lives. */
  region: string;
  /** `<service>-<stage>`, the start of its functions' names and roles. */
  prefix: string;
}

/**
 * The account to print the template for: the one asked, else the only one the catalog names; a clear error when
 * the catalog does not name it, or names several and none was asked.
 */
export function targetRoleAccount(catalog: Catalog, asked: string | undefined): string {
  const accounts = catalogAccounts(environmentsOf(catalog));
  if (accounts.length === 0) {
    throw new TargetRoleError("the catalog names no account: every target is in the automation's own");
  }
  if (asked !== undefined && !accounts.includes(asked)) {
    throw new TargetRoleError(`the catalog names no account ${asked} (it names ${accounts.join(', ')})`);
  }
  if (asked === undefined && accounts.length > 1) {
    throw new TargetRoleError(
      `the catalog names ${accounts.length} accounts: give one with --account (${accounts.join(', ')})`,
    );
  }
  return asked ?? (accounts[0] as string);
}

/** The template of the deployment role (and event forwarding) account `account` needs for the catalog's targets. */
export function targetRoleTemplate(catalog: Catalog, account: string, automation: Automation): TargetRoleTemplate {
  const environments = environmentsOf(catalog);
  const targets = environments.filter((environment) => namedAccount(environment) === account);
  const registries = environments.flatMap(({ repository, registry }) =>
    registry?.account === account ? [{ repository, region: registry.region ?? automation.region }] : [],
  );
  // The roles the catalog names here, to reach its services or to read its registry.
  const roles = [
    ...targets,
    ...environments.flatMap((e) => (e.registry?.account === account ? [e.registry] : [])),
  ].flatMap(({ roleArn, externalId }) => (roleArn ? [{ roleArn, externalId }] : []));
  const role = roleNameAndPath(
    account,
    roles.map((r) => r.roleArn),
  );
  const externalIds = unique(roles.flatMap((r) => (r.externalId ? [r.externalId] : [])));
  const placed = targets.map((t) => ({ ...t, region: t.region ?? automation.region }));
  const statements = [...targetStatements(account, placed), ...registryStatements(account, registries)];
  const regions = unique([...placed.map((t) => t.region), ...registries.map((r) => r.region)]);
  const rules = {
    ...(placed.length > 0 ? { ForwardEcsEvents: ecsRule(account, placed) } : {}),
    ...(registries.length > 0 ? { ForwardEcrPushes: ecrRule(registries) } : {}),
  };
  return {
    template: {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: description(account, targets, registries, regions),
      Parameters: parameters(automation, role.name, placed.length > 0),
      Conditions: {
        CreateRole: { 'Fn::Equals': [{ Ref: 'CreateRole' }, 'true'] },
        TrustsOperators: { 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'OperatorRoleArns' }] }, ''] }] },
        ...(placed.length > 0
          ? { PassesTaskRoles: { 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'TaskRoleArns' }] }, ''] }] } }
          : {}),
      },
      Resources: {
        DeploymentRole: {
          Type: 'AWS::IAM::Role',
          Condition: 'CreateRole',
          // cfn-lint's list of IAM actions predates ecs:ContinueServiceDeployment (2025): its W3037 is wrong here.
          ...(placed.length > 0 ? { Metadata: { 'cfn-lint': { config: { ignore_checks: ['W3037'] } } } } : {}),
          Properties: {
            RoleName: { Ref: 'RoleName' },
            ...(role.path === '/' ? {} : { Path: role.path }),
            Description: `Assumed by release-automation's functions to release into ${account}`,
            AssumeRolePolicyDocument: trustPolicy(externalIds),
            Policies: [{ PolicyName: 'release', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
          },
        },
        ...(Object.keys(rules).length > 0 ? { ForwardEventsRole: forwardEventsRole(), ...rules } : {}),
      },
      Outputs: {
        DeploymentRoleArn: {
          Condition: 'CreateRole',
          Description: 'The roleArn (and registry.roleArn) the catalog names for this account',
          Value: { 'Fn::GetAtt': ['DeploymentRole', 'Arn'] },
        },
      },
    },
    why: Object.fromEntries(statements.map((statement) => [sidOf(statement), WHY[sidOf(statement)]])),
  };
}

// Each statement's reason, the YAML's comment above it.
const WHY = {
  Services:
    'plan, the waits and the rotation read the services; deploy, rollback and rotateRoll update them ' +
    '(ListServiceDeployments: the deployment an update started, when its answer does not name it)',
  ServiceDeployments:
    'the waits read a deployment; rollback and rotateRollback stop one; advance and rollback answer ' +
    "a paused canary, linear or blue/green deployment's hook",
  Tasks: "a failed deployment's stopped tasks (its reasons); the rotation's dependents' running tasks",
  ListTasks: "ListTasks is authorized on container instances, not tasks: '*', scoped to the catalog's clusters",
  TaskDefinitions:
    'deploy registers the revision with the pushed image; ListTaskDefinitions finds the one a lost answer ' +
    "registered. None of these supports resource-level permissions: '*'",
  TaskDefinitionTags: "DescribeTaskDefinition with include TAGS reads the revision's tags",
  TagNewRevisions: 'a revision is registered with its tags, and only then',
  PassTaskRoles:
    'the task and execution roles of the revisions deploy registers (parameter TaskRoleArns), to ECS tasks only',
  PassLoadBalancerRoles: "canary, linear and blue/green: the load balancers' infrastructure roles the catalog names",
  CanaryMetrics:
    "the canary analysis reads the load balancers' metrics; GetMetricData supports no resource-level " +
    "permissions or condition keys: '*' is the narrowest AWS allows",
  ReadImages:
    'the images in this registry: the digest of a tag, its scan (the scan gate), the pushes since the last ' +
    'reconcile, and its annotations (lead time)',
} as const;

type Statement = { Sid: keyof typeof WHY; Effect: 'Allow'; Action: string[]; Resource: Json; Condition?: Json };

/** A statement, or one the template keeps only under a condition (`Fn::If`). */
type MaybeStatement = Statement | { 'Fn::If': [string, Statement, Json] };

const sidOf = (statement: MaybeStatement) => ('Fn::If' in statement ? statement['Fn::If'][1] : statement).Sid;

type Placed = EnvironmentConfig & { region: string };

const sub = (template: string): Json => ({ 'Fn::Sub': template });
const unique = (items: string[]) => [...new Set(items)].sort();
const ecsArn = (region: string, account: string, resource: string) =>
  `arn:\${AWS::Partition}:ecs:${region}:${account}:${resource}`;

function targetStatements(account: string, targets: Placed[]): MaybeStatement[] {
  if (targets.length === 0) return [];
  const arns = (resource: (t: Placed) => string) =>
    unique(targets.map((t) => ecsArn(t.region, account, resource(t)))).map(sub);
  const taskDefinitions = unique(targets.map((t) => ecsArn(t.region, account, 'task-definition/*'))).map(sub);
  const loadBalancerRoles = unique(targets.flatMap((t) => (t.loadBalancer ? [t.loadBalancer.roleArn] : [])));
  const allow = (Sid: Statement['Sid'], Action: string[], Resource: Json, Condition?: Json): Statement => ({
    Sid,
    Effect: 'Allow',
    Action,
    Resource,
    ...(Condition === undefined ? {} : { Condition }),
  });
  return [
    allow(
      'Services',
      ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:ListServiceDeployments'],
      arns((t) => `service/${t.cluster}/${t.service}`),
    ),
    allow(
      'ServiceDeployments',
      ['ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment', 'ecs:ContinueServiceDeployment'],
      arns((t) => `service-deployment/${t.cluster}/${t.service}/*`),
    ),
    allow(
      'Tasks',
      ['ecs:DescribeTasks'],
      arns((t) => `task/${t.cluster}/*`),
    ),
    allow('ListTasks', ['ecs:ListTasks'], '*', { ArnEquals: { 'ecs:cluster': arns((t) => `cluster/${t.cluster}`) } }),
    allow(
      'TaskDefinitions',
      ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition', 'ecs:ListTaskDefinitions'],
      '*',
    ),
    allow('TaskDefinitionTags', ['ecs:ListTagsForResource'], taskDefinitions),
    allow('TagNewRevisions', ['ecs:TagResource'], taskDefinitions, {
      StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' },
    }),
    // Without TaskRoleArns, no statement: deploy may pass no role, and a revision naming one is refused.
    {
      'Fn::If': [
        'PassesTaskRoles',
        allow(
          'PassTaskRoles',
          ['iam:PassRole'],
          { Ref: 'TaskRoleArns' },
          {
            StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
          },
        ),
        { Ref: 'AWS::NoValue' },
      ],
    },
    ...(loadBalancerRoles.length > 0
      ? [
          allow('PassLoadBalancerRoles', ['iam:PassRole'], loadBalancerRoles, {
            StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' },
          }),
        ]
      : []),
    ...(targets.some((t) => t.loadBalancer) ? [allow('CanaryMetrics', ['cloudwatch:GetMetricData'], '*')] : []),
  ];
}

function registryStatements(account: string, registries: { repository: string; region: string }[]): Statement[] {
  if (registries.length === 0) return [];
  const repositories = unique(
    registries.map((r) => `arn:\${AWS::Partition}:ecr:${r.region}:${account}:repository/${r.repository}`),
  );
  return [
    {
      Sid: 'ReadImages',
      Effect: 'Allow',
      Action: ['ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:DescribeRepositories', 'ecr:DescribeImageScanFindings'],
      Resource: repositories.map(sub),
    },
  ];
}

// The role the catalog names in the account (one name; a path kept), else the default.
function roleNameAndPath(account: string, roleArns: string[]): { name: string; path: string } {
  const named = unique(roleArns.map((arn) => arn.replace(/^arn:[^:]+:iam::\d{12}:role/, '')));
  if (named.length > 1) {
    throw new TargetRoleError(
      `the catalog names ${named.length} roles in ${account} (${unique(roleArns).join(', ')}): name one deployment role per account`,
    );
  }
  const [pathAndName = `/${DEFAULT_TARGET_ROLE_NAME}`] = named;
  const at = pathAndName.lastIndexOf('/');
  return { name: pathAndName.slice(at + 1), path: pathAndName.slice(0, at + 1) };
}

// Only the automation's functions that act in a target may assume the role. They are named in the condition,
// not as principals: IAM refuses a principal that does not exist yet (the automation deployed after this
// stack) and breaks on one deleted and made again, while aws:PrincipalArn matches by name. A function's role
// is `<prefix>-<function>-<region>-lambdaRole` (serverless-iam-roles-per-function), without `-lambdaRole`
// where that passes IAM's 64 characters: hence the `*` after the region, which no other function's role matches.
function trustPolicy(externalIds: string[]): Json {
  const functionRoles = TARGET_FUNCTIONS.map((name) =>
    sub(`arn:\${AWS::Partition}:iam::\${AutomationAccount}:role/\${AutomationPrefix}-${name}-\${AutomationRegion}*`),
  );
  // And whoever runs `release doctor --aws` and `release watch` against this account: the platform team's roles
  // in the automation's account that OperatorRoleArns lists (none unless listed). One statement, one list:
  // IAM's 2,048 characters of trust policy leave no room for a second.
  const principals = {
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
  };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AutomationAccount}:root') },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnLike: { 'aws:PrincipalArn': principals },
          ...(externalIds.length > 0 ? { StringEquals: { 'sts:ExternalId': externalIds } } : {}),
        },
      },
    ],
  };
}

function parameters(automation: Automation, roleName: string, passesTaskRoles: boolean): Json {
  return {
    AutomationAccount: {
      Type: 'String',
      Description: 'The account release-automation is deployed in',
      AllowedPattern: '^\\d{12}$',
    },
    AutomationRegion: {
      Type: 'String',
      Description: "The region release-automation is deployed in (its event bus, its functions' roles)",
      Default: automation.region,
    },
    AutomationPrefix: {
      Type: 'String',
      Description: "The automation's <service>-<stage>: the start of its functions' role names",
      Default: automation.prefix,
    },
    RoleName: {
      Type: 'String',
      Description: "The deployment role's name: the one the catalog's roleArn names",
      Default: roleName,
    },
    ...(passesTaskRoles
      ? {
          TaskRoleArns: {
            Type: 'CommaDelimitedList',
            Description:
              "The task and execution roles of the services' task definitions, which deploy passes to ECS tasks " +
              '(IAM wildcards allowed); empty: none',
            Default: '',
          },
        }
      : {}),
    OperatorRoleArns: {
      Type: 'CommaDelimitedList',
      Description:
        "Roles in the automation's account that may assume this one too, to run release doctor --aws and " +
        'release watch (IAM wildcards allowed); empty: only the functions',
      Default: '',
    },
    CreateRole: {
      Type: 'String',
      Description: 'false in a second region of the account: the rules only (IAM roles are global)',
      AllowedValues: ['true', 'false'],
      Default: 'true',
    },
  };
}

const AUTOMATION_BUS = 'arn:${AWS::Partition}:events:${AutomationRegion}:${AutomationAccount}:event-bus/default';

// The service deployments' events of the catalog's services here, as the automation's ecsEvents rule matches them.
function ecsRule(account: string, targets: Placed[]): Json {
  const services = unique(targets.map((t) => ecsArn(t.region, account, `service/${t.cluster}/${t.service}`)));
  return forwardingRule("The catalog's ECS services' deployment events, to release-automation's bus", {
    source: ['aws.ecs'],
    'detail-type': FORWARDED_ECS_EVENTS.detailTypes,
    resources: services.map(sub),
    detail: { eventName: FORWARDED_ECS_EVENTS.eventNames },
  });
}

// The pushes to the catalog's repositories here, as the release state machine's rule matches them.
function ecrRule(registries: { repository: string }[]): Json {
  return forwardingRule("Pushes to the catalog's ECR repositories, to release-automation's bus", {
    source: ['aws.ecr'],
    'detail-type': ['ECR Image Action'],
    detail: {
      'action-type': ['PUSH'],
      result: ['SUCCESS'],
      'repository-name': unique(registries.map((r) => r.repository)),
    },
  });
}

function forwardingRule(description: string, pattern: Json): Json {
  return {
    Type: 'AWS::Events::Rule',
    Properties: {
      Description: description,
      EventPattern: pattern,
      Targets: [
        { Id: 'AutomationBus', Arn: sub(AUTOMATION_BUS), RoleArn: { 'Fn::GetAtt': ['ForwardEventsRole', 'Arn'] } },
      ],
    },
  };
}

// What EventBridge puts the forwarded events with: events:PutEvents on the automation's default bus only.
function forwardEventsRole(): Json {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: "EventBridge forwards the catalog's events to release-automation's bus with it",
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'forward',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: sub(AUTOMATION_BUS) }],
          },
        },
      ],
    },
  };
}

// What the stack is for and where to deploy it, within CloudFormation's 1,024 characters.
function description(
  account: string,
  targets: EnvironmentConfig[],
  registries: { repository: string }[],
  regions: string[],
): string {
  const services = unique(targets.map((t) => t.service));
  const repositories = unique(registries.map((r) => r.repository));
  const what = [
    ...(services.length > 0 ? [`ECS services ${services.join(', ')}`] : []),
    ...(repositories.length > 0 ? [`ECR repositories ${repositories.join(', ')}`] : []),
  ].join('; ');
  const text =
    `release-automation's deployment role in ${account} (${what}) and the rules forwarding their events to ` +
    `the automation's bus. Deploy it in ${regions.join(', ')}: a rule forwards the events of its own region; ` +
    'in a second region with CreateRole=false.';
  return text.length <= 1024 ? text : `${text.slice(0, 1023)}…`;
}

const environmentsOf = (catalog: Catalog): EnvironmentConfig[] =>
  Object.values(catalog.services).flatMap((service) => Object.values(service.environments));
