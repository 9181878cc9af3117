import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { buttonsOf } from '../../sandbox/slack/workspace.ts';
import { startRelease, untilNextSecond, waitForExecution } from '../../scripts/lib/releases.ts';
import { E2E_TIME_FACTOR, release, useReleaseSandbox } from './support/e2e.ts';

// Issue 18 in the sandbox: production releases of web approved in Slack, one
// good (v2) and one broken (v3-bad, rolled back), then `release metrics --json`
// counts them and `release audit --format jsonl` shows who approved what digest.

const rs = useReleaseSandbox({
  timeFactor: E2E_TIME_FACTOR,
  environment: {
    RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/slack-sandbox.yml', import.meta.url)),
  },
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seen = new Set<string>();

/** Approves the next release waiting in the Slack stub, as U0APPROVER. */
async function approveNext(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const message = rs.sandbox.slack
      .messages()
      .find((candidate) => !seen.has(candidate.ts) && buttonsOf(candidate.blocks).length > 0);
    const approvalId = buttonsOf(message?.blocks)[0]?.value;
    if (message && approvalId) {
      seen.add(message.ts);
      expect((await rs.sandbox.slack.clickButton(message.ts, 'approve', 'U0APPROVER', approvalId)).status).toBe(200);
      return;
    }
    await pause(50);
  }
  throw new Error('no approval message arrived');
}

async function approvedRelease(tag: string, annotations: Record<string, string> = {}): Promise<string | undefined> {
  await untilNextSecond();
  const { executionArn } = await startRelease(rs.target, 'demo/web', tag, annotations);
  await approveNext();
  await waitForExecution(rs.target, executionArn, 90_000);
  // A rolled-back release's execution fails: its record says how it ended.
  const records = await rs.target.releases.listReleases({ limit: 10, service: 'web' });
  return records.find((record) => record.tag === tag)?.outcome;
}

const cli = (args: string[]) => release([...args, '--endpoint-url', rs.sandbox.endpoint]);

describe('the audit ledger and the four keys', () => {
  it('counts an approved release and a rolled-back one, and the ledger says who approved which digest', async () => {
    // Built from its commit two hours ago, as its OCI annotations say: lead time runs from then.
    const created = new Date(Date.now() - 2 * 3_600_000).toISOString();
    expect(
      await approvedRelease('v2', {
        'org.opencontainers.image.created': created,
        'org.opencontainers.image.revision': '1a2b3c4d5e6f7a8b',
      }),
    ).toBe('SUCCEEDED');
    expect(await approvedRelease('v3-bad')).toBe('ROLLED_BACK');

    const metrics = await cli(['metrics', '--json']);
    expect(metrics.code).toBe(0);
    const report = JSON.parse(metrics.lines.join('\n'));
    const production = report.targets.find(
      (keys: { service: string; environment: string }) => keys.service === 'web' && keys.environment === 'production',
    );
    expect(production.counts).toMatchObject({ deployments: 2, succeeded: 1, failed: 1 });
    expect(production.changeFailureRate).toMatchObject({ rate: 0.5, failed: 1, deployments: 2, band: 'low' });
    expect(production.changeFailureRate.failures[0].why).toBe('outcome:ROLLED_BACK');
    expect(production.leadTime).toMatchObject({
      samples: 1,
      from: { 'oci-annotation:org.opencontainers.image.created@1a2b3c4d5e6f': 1 },
      band: 'elite',
    });
    expect(production.leadTime.medianSeconds).toBeGreaterThanOrEqual(7200);
    expect(production.leadTime.medianSeconds).toBeLessThan(7200 + 120);
    expect(production.deploymentFrequency.band).toBeDefined();
    expect(report.pricedReleases).toBe(2);

    const audit = await cli(['audit', '--format', 'jsonl']);
    expect(audit.code).toBe(0);
    const events = audit.lines.map((line) => JSON.parse(line));
    const approved = events.filter((event: { kind: string }) => event.kind === 'approved');
    expect(approved.map((event: { by: string }) => event.by)).toEqual(['U0APPROVER', 'U0APPROVER']);
    const deployed = events.filter((event: { kind: string }) => event.kind === 'deployed');
    expect(deployed[0].detail.digest).toMatch(/^sha256:/);
    expect(deployed[0].detail.taskDefinitionArn).toMatch(/task-definition/);
    const ended = events.filter((event: { kind: string }) => event.kind === 'ended');
    expect(ended.map((event: { detail: { outcome: string } }) => event.detail.outcome)).toEqual([
      'SUCCEEDED',
      'ROLLED_BACK',
    ]);
    expect(ended[0].detail.cost.stateTransitions).toBeGreaterThan(5);

    const csv = await cli(['audit', '--format', 'csv', '--service', 'web']);
    expect(csv.lines[0]).toBe('at,target,service,environment,releaseId,kind,by,key,detail');
    // Secrets never reach the ledger: nothing that looks like a Slack token or a signing secret.
    expect(audit.lines.join('\n')).not.toMatch(/xox[abp]-|signing/i);
  }, 240_000);
});
