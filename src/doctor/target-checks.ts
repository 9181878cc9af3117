import { loadBalancerDimension, targetGroupDimension } from '../canary/index.ts';
import type { EnvironmentConfig } from '../catalog/index.ts';
import { isNative } from '../catalog/index.ts';
import { describeAccess } from '../platform/index.ts';
import { type DoctorCheck, failed, passed } from './check.ts';
import type { DoctorPorts, TargetReadPorts } from './ports.ts';

// Whether one catalog target (a service's environment) is ready for its first
// release: what plan, deploy, smoke-test and canary-check will need, read-only.

/** A catalog target: a service's environment as the catalog gives it. */
export interface DoctorTarget {
  service: string;
  environment: string;
  config: EnvironmentConfig;
}

/** How long one smoke URL may take to answer the doctor. */
export const SMOKE_PROBE_TIMEOUT_MS = 3_000;

type TargetPorts = TargetReadPorts & Pick<DoctorPorts, 'reachability'>;

/**
 * Every check of one target, read in its account and region; a port's failure is that check's ✘,
 * never the doctor's end. A deployment role that cannot be assumed is one ✘, and what only the role
 * could read is not checked.
 */
export async function checkTarget(
  target: DoctorTarget,
  { reachability, target: reach }: Pick<DoctorPorts, 'reachability' | 'target'>,
): Promise<DoctorCheck[]> {
  const ports = { ...reach(target), reachability };
  const role = await roleCheck(target, ports);
  const reached = role === undefined || role.ok;
  const groups = await Promise.all([
    reached ? ecsChecks(target, ports) : [],
    repositoryCheck(target, ports),
    smokeChecks(target, ports),
    reached ? metricsCheck(target, ports) : [],
    reached ? loadBalancerChecks(target, ports) : [],
  ]);
  return [...(role === undefined ? [] : [role]), ...groups.flat()];
}

const name = ({ service, environment }: DoctorTarget) => `${service}/${environment}`;
const catalogPath = ({ service, environment }: DoctorTarget, field: string) =>
  `services.${service}.environments.${environment}.${field}`;

/** A check whose port threw: the error, and how to let the doctor read. */
const unreadable = (target: DoctorTarget, check: string, action: string, error: unknown): DoctorCheck =>
  failed(
    name(target),
    check,
    `could not ${action}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    'check the credentials and the doctor\'s read-only policy (README, "First day": release doctor\'s IAM policy)',
  );

/** The target's deployment role, where it names one: the automation must be able to assume it. */
async function roleCheck(target: DoctorTarget, { access, assumeRole }: TargetPorts): Promise<DoctorCheck | undefined> {
  if (access.roleArn === undefined) return undefined;
  try {
    await assumeRole();
    return passed(
      name(target),
      'deployment role',
      `${access.roleArn} can be assumed: acting in ${describeAccess(access)}`,
    );
  } catch (error) {
    return failed(
      name(target),
      'deployment role',
      error instanceof Error ? error.message : String(error),
      `npx release target-role --account ${access.account} > target-role.yml prints the role's template; deploy it in ${access.account} (aws cloudformation deploy --template-file target-role.yml --stack-name release-automation-target-role --capabilities CAPABILITY_NAMED_IAM), or correct ${catalogPath(target, 'roleArn')}`,
    );
  }
}

async function ecsChecks(target: DoctorTarget, { ecs }: TargetPorts): Promise<DoctorCheck[]> {
  const { cluster, service: ecsService } = target.config;
  const where = `ECS service ${ecsService} in cluster ${cluster}`;
  let service: Awaited<ReturnType<TargetPorts['ecs']['describeService']>>;
  try {
    service = await ecs.describeService(cluster, ecsService);
  } catch (error) {
    return [unreadable(target, 'ecs-service', `describe ${where}`, error)];
  }
  if (service === undefined || service.status !== 'ACTIVE') {
    return [
      failed(
        name(target),
        'ecs-service',
        `${where} ${service === undefined ? 'does not exist' : `is ${service.status}`}`,
        `create it, or correct ${catalogPath(target, 'service')} / .cluster in the catalog (aws ecs list-services --cluster ${cluster} lists what the cluster runs)`,
      ),
    ];
  }
  const checks = [passed(name(target), 'ecs-service', `${where} is ACTIVE`)];
  checks.push(await containerCheck(target, ecs, service.taskDefinitionArn));
  if (isNative(target.config.strategy)) checks.push(strategyCheck(target, service));
  return checks;
}

async function containerCheck(
  target: DoctorTarget,
  ecs: TargetPorts['ecs'],
  taskDefinitionArn: string | undefined,
): Promise<DoctorCheck> {
  const { container } = target.config;
  if (taskDefinitionArn === undefined) {
    return failed(
      name(target),
      'container',
      `ECS service ${target.config.service} names no task definition (its deployments are not ECS's)`,
      `aws ecs describe-services --cluster ${target.config.cluster} --services ${target.config.service}`,
    );
  }
  let names: string[];
  try {
    const { taskDefinition } = await ecs.describeTaskDefinition(taskDefinitionArn);
    names = taskDefinition.containerDefinitions.flatMap((definition) => definition.name ?? []);
  } catch (error) {
    return unreadable(target, 'container', `describe task definition ${taskDefinitionArn}`, error);
  }
  if (names.includes(container)) {
    return passed(name(target), 'container', `container ${container} is in ${taskDefinitionArn}`);
  }
  return failed(
    name(target),
    'container',
    `the task definition ${taskDefinitionArn} has no container ${container} (it has ${names.join(', ') || 'none'})`,
    `set ${catalogPath(target, 'container')}: ${names[0] ?? '<container name>'} in the catalog`,
  );
}

/** A native strategy: ECS's own controller, and the catalog's target groups on the service. */
function strategyCheck(
  target: DoctorTarget,
  service: { deploymentController?: string; productionTargetGroupArn?: string },
): DoctorCheck {
  const { strategy, loadBalancer, cluster, service: ecsService, container } = target.config;
  const controller = service.deploymentController ?? 'ECS';
  if (controller !== 'ECS') {
    return failed(
      name(target),
      'strategy',
      `strategy ${strategy} needs the ECS deployment controller; ECS service ${ecsService} uses ${controller}`,
      `aws ecs update-service --cluster ${cluster} --service ${ecsService} --deployment-controller type=ECS, or set ${catalogPath(target, 'strategy')}: rolling`,
    );
  }
  if (loadBalancer === undefined) {
    return failed(
      name(target),
      'strategy',
      `strategy ${strategy} needs a loadBalancer in the catalog`,
      `add ${catalogPath(target, 'loadBalancer')} (README, "Deployment strategies")`,
    );
  }
  const groups = [loadBalancer.targetGroupArn, loadBalancer.alternateTargetGroupArn];
  const live = service.productionTargetGroupArn;
  if (live !== undefined && groups.includes(live)) {
    return passed(
      name(target),
      'strategy',
      `${strategy}: ECS controller, load balancer on the catalog's target group ${targetGroupDimension(live)}`,
    );
  }
  return failed(
    name(target),
    'strategy',
    `strategy ${strategy} moves traffic between the catalog's target groups, but ECS service ${ecsService} ${
      live === undefined ? 'has no load balancer' : `forwards to ${targetGroupDimension(live)} (a rolling service's)`
    }`,
    `aws ecs update-service --cluster ${cluster} --service ${ecsService} --load-balancers targetGroupArn=${loadBalancer.targetGroupArn},containerName=${container},containerPort=${loadBalancer.containerPort}, or set ${catalogPath(target, 'strategy')}: rolling`,
  );
}

async function repositoryCheck(target: DoctorTarget, { repositories }: TargetPorts): Promise<DoctorCheck[]> {
  const { repository, scan } = target.config;
  try {
    const settings = await repositories.describe(repository);
    if (settings === undefined) {
      return [
        failed(
          name(target),
          'repository',
          `ECR repository ${repository} does not exist`,
          `aws ecr create-repository --repository-name ${repository} --image-scanning-configuration scanOnPush=true, or correct ${catalogPath(target, 'repository')}`,
        ),
      ];
    }
    if (!settings.scanOnPush && scan !== undefined) {
      return [
        failed(
          name(target),
          'repository',
          `ECR repository ${repository} does not scan on push: the scan gate would wait for a scan that never comes`,
          `aws ecr put-image-scanning-configuration --repository-name ${repository} --image-scanning-configuration scanOnPush=true`,
        ),
      ];
    }
    const scans = settings.scanOnPush ? 'scans on push' : 'does not scan on push (no scan gate)';
    return [passed(name(target), 'repository', `ECR repository ${repository} exists and ${scans}`)];
  } catch (error) {
    return [unreadable(target, 'repository', `describe ECR repository ${repository}`, error)];
  }
}

async function smokeChecks(target: DoctorTarget, { reachability }: TargetPorts): Promise<DoctorCheck[]> {
  const urls = [
    ...target.config.smoke.map((check, index) => ({ field: `smoke[${index}].url`, check })),
    ...(target.config.testSmoke ?? []).map((check, index) => ({ field: `testSmoke[${index}].url`, check })),
  ];
  return Promise.all(
    urls.map(async ({ field, check }) => {
      const problem = await reachability.problem(check.url, SMOKE_PROBE_TIMEOUT_MS);
      return problem === undefined
        ? passed(name(target), `smoke ${check.name}`, `${check.url} answers`)
        : failed(
            name(target),
            `smoke ${check.name}`,
            `${check.url} does not answer: ${problem}`,
            `correct ${catalogPath(target, field)} (or its variable), or open the way from where the smoke-test function runs: curl -sI ${check.url}`,
          );
    }),
  );
}

/** The analysis reads the ALB's metrics of the production target group: CloudWatch must have them. */
async function metricsCheck(target: DoctorTarget, { metrics }: TargetPorts): Promise<DoctorCheck[]> {
  const { loadBalancer, strategy } = target.config;
  if (!isNative(strategy) || loadBalancer === undefined) return [];
  const dimensions = [
    { name: 'LoadBalancer', value: loadBalancerDimension(loadBalancer.productionListenerRuleArn) },
    { name: 'TargetGroup', value: targetGroupDimension(loadBalancer.targetGroupArn) },
  ];
  const shown = dimensions.map(({ name, value }) => `Name=${name},Value=${value}`).join(' ');
  try {
    if (await metrics.hasData('AWS/ApplicationELB', 'RequestCount', dimensions)) {
      return [passed(name(target), 'analysis metrics', `AWS/ApplicationELB RequestCount has data for ${shown}`)];
    }
    return [
      failed(
        name(target),
        'analysis metrics',
        `CloudWatch has no AWS/ApplicationELB RequestCount for ${shown}: the canary analysis would have nothing to judge`,
        `send traffic through the load balancer, or correct ${catalogPath(target, 'loadBalancer')}'s ARNs: aws cloudwatch list-metrics --namespace AWS/ApplicationELB --metric-name RequestCount --dimensions ${shown}`,
      ),
    ];
  } catch (error) {
    return [unreadable(target, 'analysis metrics', 'list CloudWatch metrics', error)];
  }
}

/** A native strategy's target groups, listener rules and infrastructure role exist (where ELBv2 and IAM can be asked). */
async function loadBalancerChecks(target: DoctorTarget, { loadBalancing, roles }: TargetPorts): Promise<DoctorCheck[]> {
  const { loadBalancer, strategy } = target.config;
  if (!isNative(strategy) || loadBalancer === undefined) return [];
  const checks: DoctorCheck[] = [];
  if (loadBalancing !== undefined) {
    const resources = [
      { field: 'targetGroupArn', arn: loadBalancer.targetGroupArn, kind: 'target group' },
      { field: 'alternateTargetGroupArn', arn: loadBalancer.alternateTargetGroupArn, kind: 'target group' },
      { field: 'productionListenerRuleArn', arn: loadBalancer.productionListenerRuleArn, kind: 'listener rule' },
      ...(loadBalancer.testListenerRuleArn === undefined
        ? []
        : [{ field: 'testListenerRuleArn', arn: loadBalancer.testListenerRuleArn, kind: 'listener rule' }]),
    ];
    try {
      const exists = await Promise.all(
        resources.map(({ arn, kind }) =>
          kind === 'target group' ? loadBalancing.targetGroupExists(arn) : loadBalancing.listenerRuleExists(arn),
        ),
      );
      const missing = resources.filter((_, index) => !exists[index]);
      checks.push(
        missing.length === 0
          ? passed(name(target), 'load balancer', `both target groups and the listener rules exist`)
          : failed(
              name(target),
              'load balancer',
              `${missing.map(({ kind, arn }) => `${kind} ${arn}`).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`,
              `correct ${missing.map(({ field }) => catalogPath(target, `loadBalancer.${field}`)).join(', ')} (aws elbv2 describe-target-groups / aws elbv2 describe-rules --listener-arn <listener> list what exists)`,
            ),
      );
    } catch (error) {
      checks.push(unreadable(target, 'load balancer', 'describe the target groups and listener rules', error));
    }
  }
  if (roles !== undefined) {
    const { roleArn } = loadBalancer;
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    try {
      checks.push(
        (await roles.roleExists(roleArn))
          ? passed(name(target), 'infrastructure role', `${roleArn} exists`)
          : failed(
              name(target),
              'infrastructure role',
              `ECS's infrastructure role ${roleArn} does not exist`,
              `aws iam create-role --role-name ${roleName} --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}' && aws iam attach-role-policy --role-name ${roleName} --policy-arn arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers, or correct ${catalogPath(target, 'loadBalancer.roleArn')}`,
            ),
      );
    } catch (error) {
      checks.push(unreadable(target, 'infrastructure role', `get role ${roleName}`, error));
    }
  }
  return checks;
}
