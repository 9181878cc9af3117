import type { EcsPort, EcsService, RunningTask } from '../../../src/release/ports/ecs.ts';
import { checkNoDependentOnOlderValue, dependentsOnOlderValue } from '../../../src/rotation/in-use.ts';
import { findDependents, type RollTarget, readsParameter } from '../../../src/rotation/roll.ts';

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
        ecs: () =>
          ecs({
            api: ['arn:aws:ssm:us-east-1:123456789012:parameter/app/db'],
            worker: ['/app/other'],
            web: ['/app/db'],
          }),
      },
    );
    expect(found.map((t) => t.service)).toEqual(['api', 'web', 'gone']);
  });

  it('reads each target through ECS in its own account and region', async () => {
    // One ECS service name in two accounts: only production's reads the parameter.
    const production = {
      ...target('web'),
      environment: 'production',
      access: { account: '222222222222', region: 'us-west-2' },
    };
    const accounts: Record<string, ReturnType<typeof ecs>> = {
      '000000000000': ecs({ web: ['/app/other'] }),
      '222222222222': ecs({ web: ['/app/db'] }),
    };
    const found = await findDependents('/app/db', [], [target('web'), production], {
      ecs: (t) => accounts[t.access?.account ?? '000000000000'] ?? ecs({}),
    });
    expect(found).toEqual([production]);
  });
});

describe('dependents still on an older value', () => {
  const publishedAt = new Date('2026-12-01T10:00:00Z');
  const at = (iso?: string): RunningTask => ({ taskArn: `task/${iso}`, ...(iso ? { createdAt: new Date(iso) } : {}) });
  const running: Record<string, RunningTask[]> = {
    // Rolled after the version was published.
    api: [at('2026-12-01T10:05:00Z'), at('2026-12-01T10:06:00Z')],
    // A failed roll was rolled back: one task from before, one ECS replaced since.
    web: [at('2026-12-01T09:00:00Z'), at('2026-12-01T10:30:00Z')],
    // ECS did not say when it created it: counted as older.
    gone: [at()],
  };
  const withTasks = {
    ...ecs({ api: ['/app/db'], web: ['/app/db'] }),
    runningTasks: async (_cluster: string, service: string) => running[service] ?? [],
  };

  it('are the dependents running a task created before the published version', async () => {
    const found = await dependentsOnOlderValue(
      '/app/db',
      ['gone/staging'],
      [target('api'), target('web'), target('gone'), target('worker')],
      publishedAt,
      { ecs: () => withTasks },
    );
    expect(found).toEqual([
      { service: 'web', environment: 'staging', cluster: 'c', ecsService: 'web', olderTasks: 1 },
      { service: 'gone', environment: 'staging', cluster: 'c', ecsService: 'gone', olderTasks: 1 },
    ]);
  });

  it('refuse the rotation, naming them, the role, and how to roll them', async () => {
    const find = async () => [
      { service: 'web', environment: 'staging', cluster: 'c', ecsService: 'web', olderTasks: 2 },
    ];
    const refusal = checkNoDependentOnOlderValue('/app/db', { version: 7, at: publishedAt }, 'app_a', find);
    await expect(refusal).rejects.toMatchObject({ name: 'CredentialInUseError' });
    await expect(refusal).rejects.toThrow(
      'web/staging (2 task(s)) still run tasks started before version 7 of /app/db was published (2026-12-01T10:00:00.000Z): they may log in as app_a',
    );
    await expect(refusal).rejects.toThrow('aws ecs update-service --cluster c --service web --force-new-deployment');
    await expect(
      checkNoDependentOnOlderValue('/app/db', { version: 7, at: publishedAt }, 'app_a', async () => []),
    ).resolves.toBeUndefined();
  });
});
