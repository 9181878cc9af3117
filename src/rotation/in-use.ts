import { CredentialInUseError } from './errors.ts';
import { type EcsOfTarget, findDependents, type RollTarget } from './roll.ts';

// Which credential a dependent service runs on. ECS reads a task's secrets as
// it starts the task (the parameter's latest version then), and the task keeps
// what it read until it stops. So a task created after the published version
// was written runs on it; one created before may run on an older version:
// with alternating users, on the role whose password the next rotation
// resets. The running tasks are asked rather than a record of past rolls kept:
// they show a dependent as it is, whether a failed roll left it on its old
// tasks, or a release, a forced deployment or ECS replacing a task has since
// moved it onto the published version.

/** A dependent still running tasks created before the published version. */
export interface DependentOnOlderValue {
  service: string;
  environment: string;
  cluster: string;
  ecsService: string;
  /** How many of its running tasks ECS created before the published version. */
  olderTasks: number;
}

/** A secret's dependents that run a task created before `publishedAt` (bound to the secret by the caller). */
export type FindDependentsOnOlderValue = (publishedAt: Date) => Promise<DependentOnOlderValue[]>;

/** The dependents of `parameter`, found as the roll finds them, that run a task created before `publishedAt`. */
export async function dependentsOnOlderValue(
  parameter: string,
  explicit: readonly string[],
  targets: readonly RollTarget[],
  publishedAt: Date,
  { ecs }: { ecs: EcsOfTarget<'describeService' | 'describeTaskDefinition' | 'runningTasks'> },
): Promise<DependentOnOlderValue[]> {
  const found: DependentOnOlderValue[] = [];
  for (const target of await findDependents(parameter, explicit, targets, { ecs })) {
    const { service, environment, cluster, ecsService } = target;
    const tasks = await ecs(target).runningTasks(cluster, ecsService);
    // A task without a creation time counts as older: refusing is the safe side.
    const olderTasks = tasks.filter((task) => (task.createdAt?.getTime() ?? 0) < publishedAt.getTime()).length;
    if (olderTasks > 0) found.push({ service, environment, cluster, ecsService, olderTasks });
  }
  return found;
}

/**
 * Refuses a rotation that would reset `role` while a dependent may still log
 * in with it (CredentialInUseError, saying how to recover); nothing has been
 * changed when it throws.
 */
export async function checkNoDependentOnOlderValue(
  parameter: string,
  published: { version: number; at: Date },
  role: string,
  find: FindDependentsOnOlderValue,
): Promise<void> {
  const older = await find(published.at);
  if (older.length === 0) return;
  const names = older.map((d) => `${d.service}/${d.environment} (${d.olderTasks} task(s))`).join(', ');
  const commands = older
    .map((d) => `aws ecs update-service --cluster ${d.cluster} --service ${d.ecsService} --force-new-deployment`)
    .join('; ');
  throw new CredentialInUseError(
    `${names} still run tasks started before version ${published.version} of ${parameter} was published (${published.at.toISOString()}): they may log in as ${role}, the role whose password this rotation would reset. Nothing was changed. Roll them onto version ${published.version} (a release of the service, or ${commands}), wait until they are stable, then rotate again.`,
  );
}
