import { type PlanPorts, type PlanResult, parseEcrPush, planRelease } from '../release/index.ts';
import { isGitHubReleaseEvent, parseGitHubReleaseEvent } from './events/release.ts';
import { planGitHubRelease } from './plan-release.ts';

/** What a plan was asked about, for its log lines: the push's or the GitHub release's identity. */
export type PlanSubject = Record<string, string>;

/** Plans a release execution's input: a published GitHub release or an ECR push, each by its own rules. */
export async function planExecutionInput(
  event: unknown,
  ports: PlanPorts,
): Promise<{ result: PlanResult; about: PlanSubject }> {
  if (isGitHubReleaseEvent(event)) {
    const published = parseGitHubReleaseEvent(event);
    const { deliveryId, repository, tag } = published.source;
    return { result: await planGitHubRelease(published, ports), about: { deliveryId, github: repository, tag } };
  }
  const push = parseEcrPush(event);
  const about = {
    eventId: push.eventId,
    ...(push.account ? { account: push.account } : {}),
    repository: push.repository,
    ...(push.tag ? { tag: push.tag } : {}),
  };
  return { result: await planRelease(push, ports), about };
}
