import {
  DescribeServicesCommand,
  type DescribeServicesResponse,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionResponse,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
  type UpdateServiceResponse,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ContainerNotFoundError,
  DeployFailedError,
  ServiceNotFoundError,
  TransientError,
} from '../../../src/platform/errors.ts';
import { createEcsAdapter } from '../../../src/release/adapters/ecs.ts';
import { deployRelease } from '../../../src/release/deploy.ts';
import { RELEASE_ID_TAG } from '../../../src/release/task-definition.ts';
import { awsError, awsFixture } from '../../support/aws-fixture.ts';
import {
  DEPLOYMENT_ARN,
  PUSHED_DIGEST,
  REPOSITORY_URI,
  WEB_41,
  WEB_42,
  webDeployment,
  webRelease,
} from '../../support/ecs-release.ts';

const ecsMock = mockClient(ECSClient);
const NOW = new Date('2026-11-21T10:15:31.000Z');
const deploy = (request = webRelease()) =>
  deployRelease(request, { ecs: createEcsAdapter(new ECSClient({ region: 'us-east-1' })), now: () => NOW });

const liveTaskDefinition = () => awsFixture<DescribeTaskDefinitionResponse>('ecs/describe-task-definition.json');
const withWebImage = (image: string): DescribeTaskDefinitionResponse => {
  const described = liveTaskDefinition();
  const containers = described.taskDefinition?.containerDefinitions ?? [];
  return {
    ...described,
    taskDefinition: {
      ...described.taskDefinition,
      containerDefinitions: containers.map((c) => (c.name === 'web' ? { ...c, image } : c)),
    },
  };
};

beforeEach(() => {
  ecsMock.on(DescribeServicesCommand).resolves(awsFixture<DescribeServicesResponse>('ecs/describe-services.json'));
  ecsMock.on(DescribeTaskDefinitionCommand).resolves(liveTaskDefinition());
  ecsMock.on(ListTaskDefinitionsCommand).resolves(awsFixture('ecs/list-task-definitions.json'));
  ecsMock.on(RegisterTaskDefinitionCommand).resolves(awsFixture('ecs/register-task-definition.json'));
  ecsMock.on(UpdateServiceCommand).resolves(awsFixture<UpdateServiceResponse>('ecs/update-service.json'));
  ecsMock.on(ListServiceDeploymentsCommand).resolves(awsFixture('ecs/list-service-deployments.json'));
});

afterEach(() => {
  ecsMock.reset();
});

describe('deployRelease', () => {
  it('registers the live revision again with the pushed digest and points the service at it', async () => {
    const result = await deploy();

    // web:41 → web:42, started 10:15:31 with a 600 s deadline.
    expect(result).toEqual(webDeployment());
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      taskDefinition: WEB_41,
      include: ['TAGS'],
    });
    const registered = ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    const live = liveTaskDefinition().taskDefinition;
    expect(registered?.family).toBe('web');
    expect(registered?.containerDefinitions?.map((c) => c.image)).toEqual([
      `${REPOSITORY_URI}@${PUSHED_DIGEST}`,
      'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
    ]);
    // Everything else about the revision is kept: roles, sizes, secrets, logging, tags.
    expect(registered).toMatchObject({
      taskRoleArn: live?.taskRoleArn,
      executionRoleArn: live?.executionRoleArn,
      cpu: '256',
      memory: '512',
      runtimePlatform: live?.runtimePlatform,
      tags: [
        { key: 'team', value: 'web' },
        { key: 'cost-center', value: '4711' },
        { key: RELEASE_ID_TAG, value: webRelease().releaseId },
      ],
    });
    expect(registered?.containerDefinitions?.[0]?.secrets).toEqual(live?.containerDefinitions?.[0]?.secrets);
    expect(registered).not.toHaveProperty('revision');
    expect(registered).not.toHaveProperty('taskDefinitionArn');
    // The service changes in its task definition only.
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input)).toEqual([
      { cluster: 'sandbox', service: 'web', taskDefinition: WEB_42 },
    ]);
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
  });

  it('changes nothing when the digest is already live, and says where, with no deployment to wait on', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves(withWebImage(`${REPOSITORY_URI}@${PUSHED_DIGEST}`));

    const result = await deploy();

    expect(result).toEqual({ noop: `${PUSHED_DIGEST} is already live in web:41`, taskDefinitionArn: WEB_41 });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('adopts the deployment that put the image live after planning, so it is still verified', async () => {
    // The service moved to web:42 with the pushed image since plan saw web:40:
    // e.g. this deploy's first attempt updated the service but its answer was lost.
    ecsMock.on(DescribeTaskDefinitionCommand).resolves(withWebImage(`${REPOSITORY_URI}@${PUSHED_DIGEST}`));
    const planned = { ...webRelease(), currentTaskDefinitionArn: WEB_41.replace(':41', ':40') };

    const result = await deploy(planned);

    expect(result).toEqual({
      strategy: 'rolling',
      previousTaskDefinitionArn: planned.currentTaskDefinitionArn,
      taskDefinitionArn: WEB_41,
      serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/sandbox/web/r0b1Xv3cKSxc3xTNpjvu',
      startedAt: '2026-11-21T10:15:31.000Z',
      deadline: '2026-11-21T10:25:31.000Z',
    });
    expect(result).not.toHaveProperty('noop');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('recognises the digest under another registry name (e.g. a pull-through alias)', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves(withWebImage(`registry.example.com/web@${PUSHED_DIGEST}`));
    expect(await deploy()).toMatchObject({ noop: `${PUSHED_DIGEST} is already live in web:41` });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  // ECS's side: RegisterTaskDefinition adds web:42, web:43, … to the family,
  // whose revisions ListTaskDefinitions and DescribeTaskDefinition then show.
  function familyWithLostAnswers(lost: number, earlier: RegisterTaskDefinitionCommandInput[] = []) {
    const registered = [...earlier];
    const arnOf = (index: number) => WEB_41.replace(':41', `:${42 + index}`);
    let calls = 0;
    ecsMock.on(RegisterTaskDefinitionCommand).callsFake((input: RegisterTaskDefinitionCommandInput) => {
      registered.push(input);
      calls += 1;
      // It took effect; the answer never reached the caller.
      if (calls <= lost) throw awsError('ServerException', 'Service unavailable', 500);
      const index = registered.length - 1;
      return { taskDefinition: { ...input, taskDefinitionArn: arnOf(index), revision: 42 + index } };
    });
    ecsMock.on(ListTaskDefinitionsCommand).callsFake(() => ({
      taskDefinitionArns: [...registered.map((_, index) => arnOf(index)).reverse(), WEB_41],
    }));
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake(({ taskDefinition }: { taskDefinition: string }) => {
      const index = registered.findIndex((_, i) => arnOf(i) === taskDefinition);
      const input = registered[index];
      if (input === undefined) return liveTaskDefinition();
      return {
        taskDefinition: { ...input, taskDefinitionArn: taskDefinition, revision: 42 + index },
        tags: input.tags,
      };
    });
    return { registered, arnOf };
  }

  it('registers one revision per release: a retry after a lost answer reuses the revision the first try registered', async () => {
    const { registered } = familyWithLostAnswers(1);

    // The state machine's Retry runs deploy again after the TransientError.
    await expect(deploy()).rejects.toThrow(TransientError);
    const result = await deploy();

    expect(registered).toHaveLength(1);
    expect(result).toMatchObject({ previousTaskDefinitionArn: WEB_41, taskDefinitionArn: WEB_42 });
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input.taskDefinition)).toEqual([
      WEB_42,
    ]);
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)[0]?.args[0].input).toEqual({
      familyPrefix: 'web',
      status: 'ACTIVE',
      sort: 'DESC',
      maxResults: 5,
    });
  });

  it("never takes another release's revision for its own", async () => {
    const other = { ...webRelease(), releaseId: 'web-staging-another-push' };
    const { registered, arnOf } = familyWithLostAnswers(1);
    await expect(deploy(other)).rejects.toThrow(TransientError);

    const result = await deploy();

    expect(registered).toHaveLength(2);
    expect(result).toMatchObject({ taskDefinitionArn: arnOf(1) });
    expect(registered[1]?.tags).toContainEqual({ key: RELEASE_ID_TAG, value: webRelease().releaseId });
  });

  it('finds the service deployment with ListServiceDeployments when UpdateService does not name it', async () => {
    const updated = awsFixture<UpdateServiceResponse>('ecs/update-service.json');
    ecsMock.on(UpdateServiceCommand).resolves({ service: { ...updated.service, currentServiceDeployment: undefined } });

    const result = await deploy();

    // The newest of the listed deployments, whatever order ECS lists them in.
    expect(result).toMatchObject({ serviceDeploymentArn: DEPLOYMENT_ARN });
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)[0]?.args[0].input).toEqual({
      cluster: 'sandbox',
      service: 'web',
    });
  });

  it('fails with DeployFailedError when ECS reports no service deployment for the update', async () => {
    const updated = awsFixture<UpdateServiceResponse>('ecs/update-service.json');
    ecsMock.on(UpdateServiceCommand).resolves({ service: { ...updated.service, currentServiceDeployment: undefined } });
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });

    const failure = deploy();

    await expect(failure).rejects.toThrow(DeployFailedError);
    await expect(failure).rejects.toThrow(
      `service web was pointed at ${WEB_42} but ECS reports no service deployment for it`,
    );
  });

  it('fails with DeployFailedError and the AWS message when ECS refuses the revision, leaving the service alone', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(awsError('ClientException', 'Invalid setting for container web: image must not be blank.'));

    const failure = deploy();

    await expect(failure).rejects.toThrow(DeployFailedError);
    await expect(failure).rejects.toThrow(
      'deploying v2 (sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd) to web/staging failed: ClientException: Invalid setting for container web: image must not be blank.',
    );
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('fails with DeployFailedError when the service update is refused', async () => {
    ecsMock
      .on(UpdateServiceCommand)
      .rejects(awsError('AccessDeniedException', 'User is not authorized to perform: ecs:UpdateService'));
    await expect(deploy()).rejects.toThrow(DeployFailedError);
  });

  it('fails with TransientError when ECS throttles, so the state machine retries', async () => {
    ecsMock.on(UpdateServiceCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const failure = deploy();
    await expect(failure).rejects.toThrow(TransientError);
    await expect(failure).rejects.toThrow('UpdateService failed, worth retrying: ThrottlingException: Rate exceeded');
  });

  it('fails with ServiceNotFoundError when the service is gone', async () => {
    ecsMock.on(DescribeServicesCommand).resolves(awsFixture('ecs/describe-services-missing.json'));
    await expect(deploy()).rejects.toThrow(ServiceNotFoundError);
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('fails with ContainerNotFoundError when the live revision lacks the container, registering nothing', async () => {
    const request = webRelease();
    await expect(deploy({ ...request, target: { ...request.target, container: 'app' } })).rejects.toThrow(
      ContainerNotFoundError,
    );
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });
});
