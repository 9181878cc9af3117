import type { StoredRelease } from '../release/index.ts';

// The audit ledger: immutable events, one per fact of a release or rotation,
// each under a key derived from the fact itself (never a counter or a clock
// read at write time), so a retried step writes the same keys and the store's
// conditional put makes it one event. Nothing in an event is a secret: ids,
// digests, task definition ARNs, figures, verdicts and who decided.

/** What an event records. */
export const LEDGER_KINDS = [
  'requested',
  'scanned',
  'approved',
  'rejected',
  'approval-expired',
  'analysed',
  'deployed',
  'ended',
  'rotated',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** One immutable ledger event. */
export interface LedgerEvent {
  /** Partition key: `service#environment` (a rotation: `secret#<parameter>`). */
  target: string;
  /** Sort key: `<at>#<releaseId>#<kind>[#<discriminator>]`, unique per fact and the same on every retry. */
  key: string;
  kind: LedgerKind;
  /** When the fact happened (ISO 8601). */
  at: string;
  /** The release (or rotation execution) it belongs to. */
  releaseId: string;
  service: string;
  environment: string;
  /** Who or what did it: a Slack user id, `timeout`, `canary-analysis`, `state-machine`… */
  by?: string;
  /** The fact's own figures (plain JSON). */
  detail: Record<string, unknown>;
}

/** The sort key of an event. */
export function ledgerKey(at: string, releaseId: string, kind: LedgerKind, discriminator?: string): string {
  return [at, releaseId, kind, ...(discriminator === undefined ? [] : [discriminator])].join('#');
}

const OUTCOME_BY: Record<string, string> = {
  ROLLED_BACK: 'rollback',
  ROLLBACK_FAILED: 'rollback',
  FAILED: 'state-machine',
  ABANDONED: 'execution-stopped',
  NOT_APPROVED: 'approval',
  SUCCEEDED: 'state-machine',
};

/** What the ledger records of a release's cost (cost.ts), when it was counted. */
export type CostDetail = Record<string, unknown>;

/**
 * The events of an ended release, from its record: requested, the scan gate's
 * result, each approval decision, each canary analysis, the deployment (digest
 * and task definition), and how it ended and by whom or what.
 */
export function releaseLedgerEvents(record: StoredRelease, cost?: CostDetail): LedgerEvent[] {
  const base = {
    target: record.target,
    releaseId: record.releaseId,
    service: record.service,
    environment: record.environment,
  };
  const event = (
    kind: LedgerKind,
    at: string,
    detail: Record<string, unknown>,
    by?: string,
    discriminator?: string,
  ) => ({
    ...base,
    key: ledgerKey(at, record.releaseId, kind, discriminator),
    kind,
    at,
    ...(by === undefined ? {} : { by }),
    detail,
  });
  const events: LedgerEvent[] = [
    event(
      'requested',
      record.startedAt,
      {
        trigger: record.trigger,
        image: `${record.repository}:${record.tag}`,
        digest: record.digest,
        ...(record.source ? { commit: record.source.commit, gitHubRelease: record.source.url } : {}),
        ...(record.hotfix ? { hotfix: true } : {}),
        ...(record.commitAt ? { commitAt: record.commitAt, commitAtFrom: record.commitAtFrom } : {}),
        executionId: record.executionId,
      },
      record.requestedBy?.slackUserId ?? record.requestedBy?.name ?? record.source?.author ?? record.trigger.source,
    ),
  ];
  if (record.scan) events.push(event('scanned', record.startedAt, { scan: record.scan }, 'ecr-scan'));
  for (const decision of record.decisions ?? []) {
    const kind =
      decision.verdict === 'APPROVED' ? 'approved' : decision.verdict === 'REJECTED' ? 'rejected' : 'approval-expired';
    events.push(
      event(
        kind,
        decision.at,
        { approvalId: decision.approvalId, ...(decision.reason ? { reason: decision.reason } : {}) },
        decision.by,
        decision.approvalId,
      ),
    );
  }
  for (const analysis of record.analyses ?? []) {
    events.push(
      event(
        'analysed',
        analysis.window.end,
        {
          verdict: analysis.verdict,
          decision: analysis.decision,
          reason: analysis.reason,
          window: analysis.window,
          ...(analysis.productionWeight === undefined ? {} : { productionWeight: analysis.productionWeight }),
          metrics: analysis.metrics,
        },
        'canary-analysis',
        analysis.window.start,
      ),
    );
  }
  const endedAt = record.endedAt ?? record.startedAt;
  if (record.taskDefinitionArn) {
    events.push(
      event(
        'deployed',
        endedAt,
        {
          digest: record.digest,
          image: record.image,
          taskDefinitionArn: record.taskDefinitionArn,
          ...(record.previousTaskDefinitionArn ? { previousTaskDefinitionArn: record.previousTaskDefinitionArn } : {}),
        },
        'state-machine',
      ),
    );
  }
  events.push(
    event(
      'ended',
      endedAt,
      {
        outcome: record.outcome,
        ...(record.reason ? { reason: record.reason } : {}),
        digest: record.digest,
        executionId: record.executionId,
        ...(record.control ? { control: record.control } : {}),
        ...(cost ? { cost } : {}),
      },
      record.control?.action === 'abort' ? record.control.requestedBy : (OUTCOME_BY[record.outcome] ?? 'state-machine'),
    ),
  );
  return events;
}

/** How a rotation ended, as rotate-notify knows it. */
export interface RotationEnding {
  parameter: string;
  rotationId: string;
  requestedBy?: string;
  outcome: string;
  version?: number;
  previousVersion?: number;
  rolls?: { service: string; environment: string; failed: boolean }[];
}

/**
 * A rotation's one event, under `secret#<parameter>`. Its key is the rotation's
 * id (the same on every retry); `at` is when the first try wrote it. The
 * parameter's name and versions only: never its value.
 */
export function rotationLedgerEvent(rotation: RotationEnding, at: string): LedgerEvent {
  return {
    target: `secret#${rotation.parameter}`,
    key: `rotation#${rotation.rotationId}#rotated`,
    kind: 'rotated',
    at,
    releaseId: rotation.rotationId,
    service: 'secret',
    environment: rotation.parameter,
    by: rotation.requestedBy ?? 'schedule',
    detail: {
      parameter: rotation.parameter,
      outcome: rotation.outcome,
      ...(rotation.version === undefined ? {} : { version: rotation.version }),
      ...(rotation.previousVersion === undefined ? {} : { previousVersion: rotation.previousVersion }),
      ...(rotation.rolls
        ? { rolls: rotation.rolls.map(({ service, environment, failed }) => ({ service, environment, failed })) }
        : {}),
    },
  };
}
