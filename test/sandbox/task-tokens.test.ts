import { describe, expect, it } from '@jest/globals';
import { lambdaFunctions } from '../../sandbox/lambda/functions.ts';
import { LambdaInvoker } from '../../sandbox/lambda/invoker.ts';
import type { ServerlessConfig } from '../../sandbox/serverless-config.ts';
import { createStepFunctionsEmulator } from '../../sandbox/stepfunctions/emulator.ts';
import { StateMachineRunner } from '../../sandbox/stepfunctions/runner.ts';
import { TaskTokens } from '../../sandbox/stepfunctions/task-tokens.ts';

// Callback tasks (`.waitForTaskToken`, what Slack approvals will use). No
// state machine of serverless.yml has one yet, so this one is made up: a Map
// whose iterations each wait for their own token.

const location = { accountId: '000000000000', region: 'us-east-1' };

const config: ServerlessConfig = {
  service: 'svc',
  provider: { stage: 'dev' },
  functions: { ask: { handler: 'functions/ask/handler.handler' } },
  stepFunctions: {
    stateMachines: {
      approval: {
        name: 'svc-dev-approval',
        definition: {
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ItemsPath: '$.items',
              ItemProcessor: {
                StartAt: 'Approve',
                States: {
                  Approve: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                    Parameters: {
                      FunctionName: { 'Fn::GetAtt': ['ask', 'Arn'] },
                      Payload: { 'token.$': '$$.Task.Token', 'item.$': '$.id' },
                    },
                    HeartbeatSeconds: 600,
                    Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.error', Next: 'Refused' }],
                    End: true,
                  },
                  Refused: { Type: 'Pass', Result: 'refused', End: true },
                },
              },
              End: true,
            },
          },
        },
      },
    },
  },
  resources: { Resources: {} },
};

describe('callback tasks', () => {
  it('give each task its own token and wait for SendTaskSuccess or SendTaskFailure', async () => {
    const asked: { token: string; item: string }[] = [];
    const invoker = new LambdaInvoker({
      functions: lambdaFunctions(config, location),
      handlers: {
        ask: async (event) => {
          asked.push(event as { token: string; item: string });
          return { posted: true };
        },
      },
    });
    const tokens = new TaskTokens();
    const runner = new StateMachineRunner({ config, location, invoker, tokens, region: 'us-east-1', timeFactor: 0.02 });
    const sfn = createStepFunctionsEmulator(runner, tokens);
    const machine = runner.byKey('approval');
    const execution = runner.start(machine?.arn ?? '', JSON.stringify({ items: [{ id: 'a' }, { id: 'b' }] }));

    for (let attempt = 0; attempt < 100 && asked.length < 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(asked.map((question) => question.item).sort()).toEqual(['a', 'b']);
    const [first, second] = asked;
    expect(first?.token).not.toBe(second?.token);
    expect(execution.status).toBe('RUNNING');

    const byItem = Object.fromEntries(asked.map((question) => [question.item, question.token]));
    await sfn.handle('SendTaskHeartbeat', { taskToken: byItem.a });
    await sfn.handle('SendTaskSuccess', { taskToken: byItem.a, output: '{"approvedBy":"U123"}' });
    await sfn.handle('SendTaskFailure', { taskToken: byItem.b, error: 'Rejected', cause: 'not now' });
    await expect(sfn.handle('SendTaskSuccess', { taskToken: byItem.a, output: '{}' })).rejects.toMatchObject({
      code: 'TaskDoesNotExist',
    });
    await expect(sfn.handle('SendTaskSuccess', { taskToken: byItem.b, output: 'not json' })).rejects.toMatchObject({
      code: 'InvalidOutput',
    });

    await execution.settled;
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual([{ approvedBy: 'U123' }, 'refused']);
    const types = execution.history.events.map((event) => event.type);
    expect(types.filter((type) => type === 'TaskSubmitted')).toHaveLength(2);
    expect(types).toContain('TaskSucceeded');
    expect(types).toContain('TaskFailed');
    await runner.close();
  });

  it('end when the execution is stopped', async () => {
    const invoker = new LambdaInvoker({
      functions: lambdaFunctions(config, location),
      handlers: { ask: async () => ({}) },
    });
    const tokens = new TaskTokens();
    const runner = new StateMachineRunner({ config, location, invoker, tokens, region: 'us-east-1', timeFactor: 0.02 });
    const execution = runner.start(runner.byKey('approval')?.arn ?? '', JSON.stringify({ items: [{ id: 'a' }] }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    execution.stop('Operator', 'no longer needed');
    await execution.settled;
    expect(execution.status).toBe('ABORTED');
    expect(execution.history.events.at(-1)?.type).toBe('ExecutionAborted');
    await runner.close();
  });

  it('take an answer given while the task’s own function still runs (as awaitDeployment gives one)', async () => {
    const tokens = new TaskTokens();
    const invoker = new LambdaInvoker({
      functions: lambdaFunctions(config, location),
      handlers: {
        ask: async (event) => {
          const { token, item } = event as { token: string; item: string };
          if (item === 'a') tokens.succeed(token, { answeredBy: 'itself' });
          else tokens.fail(token, 'Rejected', 'at once');
          return {};
        },
      },
    });
    const runner = new StateMachineRunner({ config, location, invoker, tokens, region: 'us-east-1', timeFactor: 0.02 });
    const execution = runner.start(
      runner.byKey('approval')?.arn ?? '',
      JSON.stringify({ items: [{ id: 'a' }, { id: 'b' }] }),
    );
    await execution.settled;
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual([{ answeredBy: 'itself' }, 'refused']);
    await runner.close();
  });
});
