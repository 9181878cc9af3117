// The tables whose records someone may need after the stack is gone.
import type { Check, PackagedTemplate } from './template.ts';

// Locks, idempotency records and waits on deployments only matter while executions run (README,
// Operations): every other table is a record table.
const disposableTables = new Set(['LocksTable', 'IdempotencyTable', 'DeploymentWaitsTable']);

/** Checks every record table (releases: the audit; approvals: who approved what) survives a deleted stack and a mistaken write. */
export function checkTables({ ofType, resources }: PackagedTemplate, check: Check): void {
  for (const [id, table] of ofType('AWS::DynamoDB::Table').filter(([id]) => !disposableTables.has(id))) {
    check(
      table.DeletionPolicy === 'Retain' && table.UpdateReplacePolicy === 'Retain',
      `${id} is retained when the stack is deleted or replaces it (DeletionPolicy, UpdateReplacePolicy)`,
    );
    check(table.Properties.DeletionProtectionEnabled === true, `${id} has deletion protection`);
    check(
      JSON.stringify(table.Properties.PointInTimeRecoverySpecification ?? {}).includes(
        '"PointInTimeRecoveryEnabled":true',
      ),
      `${id} has point-in-time recovery`,
    );
  }
  check(
    ['ReleasesTable', 'ApprovalsTable'].every((id) => resources[id]?.Type === 'AWS::DynamoDB::Table'),
    'the releases and approvals tables are in the template',
  );
}
