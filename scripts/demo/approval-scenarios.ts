// The demo's production releases of `web` (web-production, `approval: slack`):
// each waits for a person in the sandbox's Slack stub, driven through the
// `release` CLI's own `slack` and `github-release` commands, as a person
// playing the sandbox would; judged on the outcome and what the load balancer serves.
import { buttonsOf, readableText, type SlackMessage } from '../../sandbox/slack/workspace.ts';
import { main } from '../../src/cli/main.ts';
import { pushImage } from '../../src/cli/push.ts';
import { sleep } from '../../src/platform/index.ts';
import type { ReleaseSandbox } from '../lib/release-sandbox.ts';
import { executionsWith, probe, tagOf, untilNextSecond, waitForExecution } from '../lib/releases.ts';
import type { Say, ScenarioResult } from './scenarios.ts';

const PRODUCTION = 'web-production';
const REQUESTER = 'U0DEPLOYER';
const APPROVER = 'U0APPROVER';

/** `release <args>` against this sandbox, its output shown; returns what it printed. */
async function releaseCli(rs: ReleaseSandbox, args: string[], say: Say): Promise<string[]> {
  const shown = args.map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)).join(' ');
  say(`$ release ${shown}`);
  const lines: string[] = [];
  await main([...args, '--endpoint-url', rs.sandbox.endpoint], (text) => lines.push(...text.split('\n')));
  for (const line of lines) say(`  ${line}`);
  return lines;
}

/** The approval message of `tag`, once the Slack stub shows it with its buttons. */
async function approvalMessage(
  rs: ReleaseSandbox,
  tag: string,
  say: Say,
): Promise<{ message: SlackMessage; id: string }> {
  for (let i = 0; i < 600; i++) {
    const message = rs.sandbox.slack
      .messages()
      .find((candidate) => candidate.text?.startsWith(`Approval needed: web ${tag} to production`));
    const id = buttonsOf(message?.blocks)[0]?.value;
    if (message && id) {
      say(`  Slack #releases: ${readableText({ blocks: message.blocks }).split(' | Approve')[0]} [Approve] [Reject]`);
      return { message, id };
    }
    await sleep(50);
  }
  throw new Error(`no approval message for web ${tag} arrived in Slack`);
}

async function servedTags(rs: ReleaseSandbox): Promise<string[]> {
  return (await probe(rs.lbUrl(PRODUCTION), 6)).map((answer) => (answer.status === 200 ? tagOf(answer.image) : '?'));
}

const summary = (tags: string[]) => `${tags.filter((tag) => tag === tags[0]).length}/${tags.length} × ${tags[0]}`;
const allAre = (tags: string[], tag: string) => tags.length > 0 && tags.every((served) => served === tag);

/**
 * (f) U0DEPLOYER asks for `tag` in production from Slack; the release waits,
 * their own approval is refused (two-person rule), U0APPROVER's click releases it.
 */
export async function approvedProduction(rs: ReleaseSandbox, tag: string, say: Say): Promise<ScenarioResult> {
  await untilNextSecond();
  // Built by CI from a commit an hour ago: its OCI annotations say so, and lead time runs from then.
  const created = new Date(Date.now() - 3_600_000).toISOString();
  await pushImage(rs.target, 'demo/web', tag, undefined, {
    'org.opencontainers.image.created': created,
    'org.opencontainers.image.revision': 'c0ffee5c0ffee5c0ffee5',
  });
  say(`  (demo/web:${tag} pushed by CI, built ${created}; production takes it only when asked)`);
  await releaseCli(rs, ['slack', `/release deploy web ${tag} production`, '--user', REQUESTER], say);
  const { id } = await approvalMessage(rs, tag, say);
  const own = await releaseCli(rs, ['slack', `/release approve ${id}`, '--user', REQUESTER], say);
  const refused = own.join(' ').includes('two-person rule');
  await releaseCli(rs, ['slack', '--click', 'approve', id, '--user', APPROVER], say);
  const [execution] = await executionsWith(rs.target, `"slackUserId":"${REQUESTER}"`, 1);
  const ended = await waitForExecution(rs.target, execution ?? '');
  const outcome = ended.outcomes[0]?.outcome ?? ended.status;
  const tags = await servedTags(rs);
  say(`  ${outcome}; ${PRODUCTION}'s load balancer: ${summary(tags)}`);
  return {
    scenario: `(f) production ${tag}, approved`,
    expected: `own approval refused, approved by ${APPROVER}: SUCCEEDED, LB serves ${tag}`,
    observed: `own approval ${refused ? 'refused' : 'NOT refused'}, ${outcome}, LB ${summary(tags)}`,
    ok: refused && outcome === 'SUCCEEDED' && allAre(tags, tag),
  };
}

/** (g) A GitHub release of `tag` that U0APPROVER rejects: NOT_APPROVED, nothing deployed. */
export async function rejectedProduction(rs: ReleaseSandbox, tag: string, say: Say): Promise<ScenarioResult> {
  const before = await servedTags(rs);
  await untilNextSecond();
  await pushImage(rs.target, 'demo/web', tag);
  const sent = await releaseCli(rs, ['github-release', 'example/web', tag], say);
  const execution = sent.map((line) => /^release started: (arn:\S+)$/.exec(line)?.[1]).find(Boolean);
  if (!execution) throw new Error(`the GitHub release of ${tag} started no release`);
  const { id } = await approvalMessage(rs, tag, say);
  await releaseCli(rs, ['slack', `/release reject ${id} not before the freeze ends`, '--user', APPROVER], say);
  const ended = await waitForExecution(rs.target, execution);
  const outcome = ended.outcomes[0]?.outcome ?? ended.status;
  const tags = await servedTags(rs);
  say(`  ${outcome}; ${PRODUCTION}'s load balancer: ${summary(tags)}`);
  return {
    scenario: `(g) GitHub release ${tag}, rejected`,
    expected: `NOT_APPROVED, LB still serves ${before[0] ?? '?'}`,
    observed: `${outcome}, LB ${summary(tags)}`,
    ok: outcome === 'NOT_APPROVED' && before[0] !== undefined && allAre(tags, before[0]),
  };
}
