import {
  DescribeServiceDeploymentsCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterHistoryCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseFaultSpec } from '../../sandbox/faults/rules.ts';
import { DEFAULT_TIME_FACTOR } from '../../sandbox/index.ts';
import { type ReleaseSandbox, startReleaseSandbox } from '../../scripts/lib/release-sandbox.ts';
import { waitForExecution } from '../../scripts/lib/releases.ts';
import { DEMO_SECRET_PARAMETER, type RotationRun, rotateUnderTraffic } from '../../scripts/lib/rotation.ts';

// A rotation of the demo secret end to end: the sandbox with its PostgreSQL,
// the demo `web` logging in with its credential on every request while a
// client asks it through its load balancer, `npx release rotate`'s code
// starting the rotation state machine, and ECS rolling `web` to the new
// credential. Not one request may fail, and no generated value may show in
// what the sandbox prints or in the execution's history. Then the same
// rotation asked for from Slack (`/release rotate`) by the secret's rotator.
// Last, a roll that fails leaves web on the previous credential: the next
// rotation is refused, not one request fails, until web is rolled.

// At 0.05 the rotation, roll included, takes about 2 s: 150 requests/s give
// well over 200 answers during it.
const RATE = 150;

let rs: ReleaseSandbox;
const printed: string[] = [];
let tasksBefore: string[];
let run: RotationRun;

const runningTasks = async () => {
  const { taskArns = [] } = await rs.ecs.send(
    new ListTasksCommand({ cluster: 'sandbox', serviceName: 'web', desiredStatus: 'RUNNING' }),
  );
  if (taskArns.length === 0) return [];
  return (await rs.ecs.send(new DescribeTasksCommand({ cluster: 'sandbox', tasks: taskArns }))).tasks ?? [];
};
const credentials = async () => {
  const { Parameters = [] } = await rs.target.ssm.send(
    new GetParameterHistoryCommand({ Name: DEMO_SECRET_PARAMETER, WithDecryption: true }),
  );
  return Parameters.map((version) => JSON.parse(version.Value ?? '{}') as { username: string; password: string });
};
const logsIn = async (credential: { username: string; password: string }) =>
  (await rs.sandbox.databases?.server.logsIn('web', credential)) ?? false;
const stateEntered = (name: string) =>
  run.history.find((event) => event.stateEnteredEventDetails?.name === name)?.timestamp?.getTime() ?? Number.NaN;

beforeAll(async () => {
  rs = await startReleaseSandbox({
    postgres: true,
    timeFactor: DEFAULT_TIME_FACTOR,
    print: (line) => printed.push(line),
  });
  tasksBefore = (await runningTasks()).map((task) => task.taskArn ?? '');
  run = await rotateUnderTraffic(rs, { ratePerSecond: RATE, requestedBy: 'e2e' });
}, 120_000);
afterAll(() => rs?.stop());

describe('rotating the demo database credential under traffic', () => {
  it('succeeds, and the demo answers every one of at least 200 requests during the rotation and the roll of web', () => {
    expect(run.status).toBe('SUCCEEDED');
    const answers = run.traffic.answers ?? [];
    const start = run.startDate?.getTime() ?? Number.NaN;
    const stop = run.stopDate?.getTime() ?? Number.NaN;
    const during = answers.filter((answer) => answer.at >= start && answer.at <= stop);
    const duringRoll = answers.filter((answer) => answer.at >= stateEntered('ForceDeployment') && answer.at <= stop);
    expect({ failed: run.failed, byStatus: Object.keys(run.traffic.byStatus) }).toEqual({
      failed: 0,
      byStatus: ['200'],
    });
    expect(during.length).toBeGreaterThanOrEqual(200);
    expect(duringRoll.length).toBeGreaterThanOrEqual(50);
  });

  it('published a new credential that logs in, and the previous one still does', async () => {
    const [first, second, ...more] = await credentials();
    expect(more).toEqual([]);
    expect([first?.username, second?.username]).toEqual(['web_a', 'web_b']);
    for (const credential of [first, second]) if (credential) expect(await logsIn(credential)).toBe(true);
  });

  it('replaced the tasks of web by a new deployment, started after the new credential was published', async () => {
    const published = stateEntered('Dependents');
    const tasks = await runningTasks();
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) {
      expect(tasksBefore).not.toContain(task.taskArn);
      expect(task.startedAt?.getTime()).toBeGreaterThanOrEqual(published);
    }
  });

  it('runs tasks that use the new credential: the previous role locked out, every request answers; the new one locked out, none does', async () => {
    const [previous, current] = await credentials();
    const lockOut = async (role: string | undefined) => {
      const admin = await rs.sandbox.databases?.server.connect();
      try {
        await admin?.query(`ALTER ROLE ${role} PASSWORD ${admin.escapeLiteral('locked-out-by-the-test')}`);
      } finally {
        await admin?.end();
      }
    };
    const statuses = async () => {
      const seen = new Set<number>();
      for (let i = 0; i < 10; i++) seen.add((await fetch(rs.lbUrl('web'))).status);
      return [...seen];
    };
    await lockOut(previous?.username);
    expect(await statuses()).toEqual([200]);
    // Last, as it breaks the demo: web's tasks do log in with the new credential on each request.
    await lockOut(current?.username);
    expect(await statuses()).toEqual([500]);
  });

  it('shows no generated value in what the sandbox printed or in any state of the execution', async () => {
    const values = (await credentials()).map((credential) => credential.password);
    expect(values).toHaveLength(2);
    const history = JSON.stringify(run.history);
    expect(history).toContain('"stateExitedEventDetails"');
    expect(printed.join('\n')).toContain('SUCCEEDED');
    for (const value of values) {
      expect(history).not.toContain(value);
      expect(printed.join('\n')).not.toContain(value);
    }
  });

  it('`/release rotate web-db` from Slack, by its rotator, rotates again and rolls web back to a working login', async () => {
    const reply = await rs.sandbox.slack.sendCommand('/release rotate web-db', 'U0DEPLOYER');
    const rotationId = /started rotation `([\w-]+)`/.exec(reply.text)?.[1];
    expect(rotationId).toBeDefined();
    const executionArn = run.executionArn.replace(/[^:]+$/, rotationId ?? '');
    expect((await waitForExecution(rs.target, executionArn)).status).toBe('SUCCEEDED');
    expect(await credentials()).toHaveLength(3);
    for (let i = 0; i < 10; i++) expect((await fetch(rs.lbUrl('web'))).status).toBe(200);
  }, 60_000);

  it('refuses to rotate while a failed roll left web on the credential it would reset, and rotates once web is rolled', async () => {
    const output = (ended: RotationRun) =>
      JSON.parse(ended.history.at(-1)?.executionSucceededEventDetails?.output ?? '{}') as Record<string, unknown>;
    const trafficSeen = (ended: RotationRun) => ({
      failed: ended.failed,
      byStatus: Object.keys(ended.traffic.byStatus),
    });
    // ECS answers every UpdateService with a 5xx: the roll fails after publishing, web keeps its tasks.
    rs.sandbox.faults.add(parseFaultSpec('5xx@1:ecs.UpdateService'));
    const failedRoll = await rotateUnderTraffic(rs, { ratePerSecond: RATE, requestedBy: 'e2e' }).finally(() =>
      rs.sandbox.faults.clear(),
    );
    expect(failedRoll.status).toBe('FAILED');
    const published = (await credentials()).length;

    const refused = await rotateUnderTraffic(rs, { ratePerSecond: RATE, requestedBy: 'e2e' });
    // The role web's tasks log in as is left alone: not one request fails.
    expect(trafficSeen(refused)).toEqual({ failed: 0, byStatus: ['200'] });
    expect(refused.status).toBe('SUCCEEDED');
    expect(output(refused)).toMatchObject({
      outcome: 'REFUSED',
      reason: expect.stringContaining('web/staging (2 task(s)) still run tasks started before version'),
    });
    expect(await credentials()).toHaveLength(published);
    const alert = rs.sandbox.slack.messages().at(-1)?.text ?? '';
    expect(alert).toMatch(/^<!here> :no_entry: rotation of `\/release-automation\/sandbox\/web\/db` refused/);
    expect(alert).toContain('aws ecs update-service --cluster sandbox --service web --force-new-deployment');

    // As the alert says: roll web onto the published version, wait until it is stable, rotate again.
    const { service } = await rs.ecs.send(
      new UpdateServiceCommand({ cluster: 'sandbox', service: 'web', forceNewDeployment: true }),
    );
    const rolled = service?.currentServiceDeployment ?? '';
    for (let i = 0; i < 300; i++) {
      const { serviceDeployments } = await rs.ecs.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [rolled] }),
      );
      if (serviceDeployments?.[0]?.status === 'SUCCESSFUL') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const again = await rotateUnderTraffic(rs, { ratePerSecond: RATE, requestedBy: 'e2e' });
    expect(again.status).toBe('SUCCEEDED');
    expect(output(again)).toMatchObject({ outcome: 'ROTATED' });
    expect(trafficSeen(again)).toEqual({ failed: 0, byStatus: ['200'] });
  }, 120_000);
});
