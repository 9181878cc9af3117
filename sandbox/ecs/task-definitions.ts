import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { Arns } from '../aws/arns.ts';
import { clone } from '../aws/clone.ts';
import { AwsApiError } from '../aws/service.ts';
import type { TaskDefinitionInput } from './task-definition-input.ts';

// Task definition families and their revisions. A reference is a family
// (its latest ACTIVE revision), `family:revision` or a full ARN.

export interface TaskDefinitionRecord {
  definition: TaskDefinition;
  tags: { key: string; value: string }[];
}

export class TaskDefinitions {
  readonly #arns: Arns;
  readonly #families = new Map<string, TaskDefinitionRecord[]>();

  constructor(arns: Arns) {
    this.#arns = arns;
  }

  register(input: TaskDefinitionInput): TaskDefinitionRecord {
    const family = input.definition.family ?? '';
    const revisions = this.#families.get(family) ?? [];
    const revision = revisions.length + 1;
    const record: TaskDefinitionRecord = {
      definition: {
        ...clone(input.definition),
        taskDefinitionArn: this.#arns.taskDefinition(family, revision),
        revision,
        status: 'ACTIVE',
        registeredAt: new Date(),
        registeredBy: `arn:aws:iam::${this.#arns.accountId}:root`,
      },
      tags: input.tags,
    };
    revisions.push(record);
    this.#families.set(family, revisions);
    return record;
  }

  resolve(reference: string): TaskDefinitionRecord | undefined {
    const name = reference.startsWith('arn:') ? (reference.split('task-definition/')[1] ?? '') : reference;
    const [family = '', revision] = name.split(':');
    const revisions = this.#families.get(family) ?? [];
    if (revision === undefined) return revisions.findLast((r) => r.definition.status === 'ACTIVE');
    const found = revisions[Number(revision) - 1];
    if (reference.startsWith('arn:') && found?.definition.taskDefinitionArn !== reference) return undefined;
    return found;
  }

  /** The task definition a request names, or ClientException as ECS answers. */
  require(reference: string): TaskDefinitionRecord {
    const record = this.resolve(reference);
    if (!record) throw new AwsApiError('ClientException', 'Unable to describe task definition.');
    return record;
  }

  /** ARNs, oldest first, of one family (`familyPrefix` is an exact family in ECS) or of all. */
  list(familyPrefix?: string, status = 'ACTIVE'): string[] {
    const families =
      familyPrefix === undefined ? [...this.#families.values()] : [this.#families.get(familyPrefix) ?? []];
    return families
      .flat()
      .filter((r) => r.definition.status === status)
      .map((r) => r.definition.taskDefinitionArn ?? '');
  }

  /**
   * Family names in alphabetical order that start with `prefix`: ACTIVE ones have an
   * ACTIVE revision, INACTIVE ones none any more, ALL both.
   */
  families(prefix = '', status: 'ACTIVE' | 'INACTIVE' | 'ALL' = 'ALL'): string[] {
    return [...this.#families.entries()]
      .filter(([family]) => family.startsWith(prefix))
      .filter(([, revisions]) => {
        if (status === 'ALL') return true;
        const active = revisions.some((r) => r.definition.status === 'ACTIVE');
        return status === 'ACTIVE' ? active : !active;
      })
      .map(([family]) => family)
      .sort();
  }
}
