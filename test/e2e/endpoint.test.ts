import { DescribeTasksCommand, ListTasksCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from '@jest/globals';
import { awsCli, awsJson, describeWithAwsCli } from './support/aws-cli.ts';
import { connectTo, useReleaseSandbox } from './support/e2e.ts';

// What any AWS tool gets from the sandbox for what it does not emulate: the
// AWS error shape, never a crash; and that stop() leaves nothing listening,
// not the endpoint, the Slack stub, the load balancer nor a task.

const rs = useReleaseSandbox();

describe('the AWS endpoint', () => {
  it('answers an unsupported operation through the SDK with an AWS error', async () => {
    const failure = await rs.ecs
      .send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'enabled' }))
      .then(
        () => undefined,
        (error: unknown) => error as { name: string; message: string; $metadata: { httpStatusCode?: number } },
      );
    expect(failure?.name).toBe('UnknownOperationException');
    expect(failure?.message).toContain('PutAccountSetting');
    expect(failure?.$metadata.httpStatusCode).toBe(400);
  });
});

describeWithAwsCli('the AWS endpoint, through the AWS CLI v2', () => {
  it('answers unsupported operations and services through the AWS CLI with AWS errors', async () => {
    const operation = await awsCli(rs.sandbox.endpoint, ['ecs', 'list-account-settings']);
    expect(operation.code).toBe(254);
    expect(operation.stderr).toMatch(
      /An error occurred \(UnknownOperationException\) when calling the ListAccountSettings operation: /,
    );
    const service = await awsCli(rs.sandbox.endpoint, ['sns', 'list-topics']);
    expect(service.code).toBe(254);
    expect(service.stderr).toMatch(/An error occurred \(\w+\) when calling the ListTopics operation: /);
  });

  it('keeps serving after those errors', async () => {
    const { clusterArns } = await awsJson<{ clusterArns: string[] }>(rs.sandbox.endpoint, ['ecs', 'list-clusters']);
    expect(clusterArns).toEqual(['arn:aws:ecs:us-east-1:000000000000:cluster/sandbox']);
  });
});

describe('stopping the sandbox', () => {
  it('leaves nothing listening on any of its ports', async () => {
    const { taskArns = [] } = await rs.ecs.send(new ListTasksCommand({ cluster: 'sandbox', serviceName: 'web' }));
    const { tasks = [] } = await rs.ecs.send(new DescribeTasksCommand({ cluster: 'sandbox', tasks: taskArns }));
    const taskPorts = tasks.flatMap((task) =>
      (task.containers ?? []).flatMap((container) => (container.networkBindings ?? []).map((b) => b.hostPort ?? 0)),
    );
    expect(taskPorts).toHaveLength(2);
    const ports = {
      endpoint: rs.sandbox.port,
      slack: Number(new URL(rs.sandbox.slack.apiUrl).port),
      loadBalancer: Number(new URL(rs.lbUrl()).port),
      ...Object.fromEntries(taskPorts.map((port, i) => [`task ${i + 1}`, port])),
    };
    const connected = Object.fromEntries(Object.keys(ports).map((name) => [name, 'connected']));
    const refused = Object.fromEntries(Object.keys(ports).map((name) => [name, 'ECONNREFUSED']));
    const probeAll = async () =>
      Object.fromEntries(
        await Promise.all(Object.entries(ports).map(async ([name, port]) => [name, await connectTo(port)])),
      );

    expect(await probeAll()).toEqual(connected);
    await rs.stop();
    expect(await probeAll()).toEqual(refused);
  });
});
