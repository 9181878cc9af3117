import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { OperationTable } from '../../sandbox/aws/operation-table.ts';
import { CLOUDWATCH_OPERATIONS } from '../../sandbox/cloudwatch/emulator.ts';
import { ECR_OPERATIONS } from '../../sandbox/ecr/emulator.ts';
import { ECS_OPERATIONS } from '../../sandbox/ecs/emulator.ts';
import { EVENTBRIDGE_OPERATIONS } from '../../sandbox/eventbus/emulator.ts';
import { IAM_OPERATIONS } from '../../sandbox/iam/emulator.ts';
import { SSM_OPERATIONS } from '../../sandbox/ssm/emulator.ts';
import { STEP_FUNCTIONS_OPERATIONS } from '../../sandbox/stepfunctions/emulator.ts';
import { STS_OPERATIONS } from '../../sandbox/sts/emulator.ts';

// Each emulated service's README lists its operations under an "Operations"
// heading, one "- `Name`" line each; the list must be the emulator's table,
// so a README cannot promise an operation the sandbox lacks, nor hide one.

const TABLES: [folder: string, table: OperationTable<never>][] = [
  ['ecs', ECS_OPERATIONS],
  ['ecr', ECR_OPERATIONS],
  ['cloudwatch', CLOUDWATCH_OPERATIONS],
  ['ssm', SSM_OPERATIONS],
  ['eventbus', EVENTBRIDGE_OPERATIONS],
  ['stepfunctions', STEP_FUNCTIONS_OPERATIONS],
  ['iam', IAM_OPERATIONS],
  ['sts', STS_OPERATIONS],
];

function listedOperations(folder: string): string[] {
  const readme = readFileSync(new URL(`../../sandbox/${folder}/README.md`, import.meta.url), 'utf8');
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => /^#+ Operations$/.test(line));
  if (start === -1) return [];
  const end = lines.findIndex((line, index) => index > start && line.startsWith('#'));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .flatMap((line) => /^- `([A-Za-z]+)`/.exec(line)?.[1] ?? []);
}

describe("each service's README", () => {
  it.each(TABLES)('sandbox/%s/README.md lists exactly the operations of its table', (folder, table) => {
    expect(listedOperations(folder).sort()).toEqual(Object.keys(table).sort());
  });

  it('exists for DynamoDB too, which forwards to dynalite instead of having a table', () => {
    expect(readFileSync(new URL('../../sandbox/dynamodb/README.md', import.meta.url), 'utf8')).toMatch(
      /^## Operations$/m,
    );
  });
});
