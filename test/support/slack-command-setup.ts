import { fileURLToPath } from 'node:url';
import { approvalIdFor } from '../../src/approvals/id.ts';

// What slack-command's handler needs around it, shared by its unit tests
// (slack-command-fixture.ts) and its benchmark (scripts/bench/slack-child.ts).
// No jest here: the benchmark imports it outside jest.

export const releaseId = 'gate-production-00000000-0000-4000-8000-000000000001';
export const approvalId = approvalIdFor(releaseId);

/** slack-command's environment: mocked tables and parameters, Slack at `slackApiUrl`, the state-machine catalog. */
export function slackCommandEnvironment(slackApiUrl: string): Record<string, string> {
  return {
    AUTOMATION_ACCOUNT: '123456789012',
    AWS_REGION: 'us-east-1',
    RELEASES_TABLE: 'releases',
    LOCKS_TABLE: 'locks',
    APPROVALS_TABLE: 'approvals',
    AUDIT_TABLE: 'audit',
    SLACK_TOKEN_PARAMETER: '/slack/bot-token',
    SLACK_SIGNING_SECRET_PARAMETER: '/slack/signing-secret',
    RELEASE_STATE_MACHINE_NAME: 'release-automation-dev-release',
    ROTATION_STATE_MACHINE_NAME: 'release-automation-dev-rotation',
    SLACK_API_URL: slackApiUrl,
    RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/state-machine.yml', import.meta.url)),
    SMOKE_URL: 'http://127.0.0.1:9/health',
  };
}

/** A pending approval of gate/production, asked for by U0ASKER. */
export function pendingApproval(changes: Record<string, unknown> = {}) {
  return {
    approvalId,
    releaseId,
    executionId: 'arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:x',
    request: {
      releaseId,
      target: { service: 'gate', environment: 'production', slackChannel: '#releases' },
      image: { repository: 'demo/gate', tag: 'v2', digest: `sha256:${'2'.repeat(64)}` },
      trigger: { source: 'slack-command', eventId: 'slack-1', at: new Date().toISOString() },
      requestedBy: { name: 'U0ASKER', slackUserId: 'U0ASKER' },
    },
    status: 'PENDING',
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    message: { channel: 'C0RELEASES1', ts: '1700000000.000100' },
    ...changes,
  };
}
