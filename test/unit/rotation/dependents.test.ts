import { findDependents, type RollTarget, readsParameter } from '../../../src/domain/rotation-roll.ts';
import type { EcsPort, EcsService } from '../../../src/ports/ecs.ts';

const target = (service: string): RollTarget => ({
  service,
  environment: 'staging',
  cluster: 'c',
  ecsService: service,
  stabilityDeadlineSeconds: 600,
});

// Each service's live task definition, with the secrets its containers read.
const ecs = (secrets: Record<string, string[]>): Pick<EcsPort, 'describeService' | 'describeTaskDefinition'> => ({
  describeService: async (_cluster, service) =>
    service in secrets
      ? ({ arn: service, status: 'ACTIVE', taskDefinitionArn: `td/${service}:1`, events: [] } satisfies EcsService)
      : undefined,
  describeTaskDefinition: async (arn) => {
    const service = arn.slice(3, -2);
    return {
      taskDefinition: {
        taskDefinitionArn: arn,
        family: service,
        revision: 1,
        containerDefinitions: [
          { name: 'sidecar' },
          { name: service, secrets: (secrets[service] ?? []).map((valueFrom) => ({ name: 'DB', valueFrom })) },
        ],
      },
      tags: [],
    };
  },
});

describe('dependent services', () => {
  it('matches a parameter by name or by ARN in any region', () => {
    expect(readsParameter('/app/db', '/app/db')).toBe(true);
    expect(readsParameter('arn:aws:ssm:eu-west-1:123456789012:parameter/app/db', '/app/db')).toBe(true);
    expect(readsParameter('arn:aws:ssm:eu-west-1:123456789012:parameter/app/db2', '/app/db')).toBe(false);
    expect(readsParameter('/app/db/other', '/app/db')).toBe(false);
  });

  it('rolls the services whose live task definition reads the parameter, and those named explicitly', async () => {
    const found = await findDependents(
      '/app/db',
      ['gone/staging'],
      [target('api'), target('worker'), target('web'), target('gone')],
      {
        ecs: ecs({
          api: ['arn:aws:ssm:us-east-1:123456789012:parameter/app/db'],
          worker: ['/app/other'],
          web: ['/app/db'],
        }),
      },
    );
    expect(found.map((t) => t.service)).toEqual(['api', 'web', 'gone']);
  });
});
