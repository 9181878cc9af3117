import { describe, expect, it } from '@jest/globals';
import { TransientError } from '../../../src/platform/errors.ts';
import { sendTaskCallback, TaskCallbackError } from '../../../src/release/adapters/task-callback.ts';

// The one way the release feature answers Step Functions' callback tasks (an
// approval's decision, a deployment wait's answer or heartbeat).

const TOKEN = 'AAAAKgAAAAIAAAAAAAAAAQsecret-token';
const refusing =
  (name: string, fault: 'client' | 'server' = 'client') =>
  async () => {
    throw Object.assign(new Error(`Provided task token ${TOKEN} is invalid: ${name}`), { name, $fault: fault });
  };
const refused = (name: string) => `Step Functions refused SendTaskSuccess (${name})`;

describe('sendTaskCallback', () => {
  it('is DELIVERED when Step Functions takes it', async () => {
    await expect(sendTaskCallback('SendTaskSuccess', refused, async () => ({}))).resolves.toBe('DELIVERED');
  });

  it.each(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'])(
    'is EXPIRED when the task is gone (%s)',
    async (name) => {
      await expect(sendTaskCallback('SendTaskSuccess', refused, refusing(name))).resolves.toBe('EXPIRED');
    },
  );

  it('retries a throttled or failing service (TransientError), and names any other refusal, never quoting the token', async () => {
    const throttled = sendTaskCallback('SendTaskSuccess', refused, refusing('ThrottlingException'));
    await expect(throttled).rejects.toBeInstanceOf(TransientError);
    const denied = sendTaskCallback('SendTaskSuccess', refused, refusing('AccessDeniedException'));
    await expect(denied).rejects.toBeInstanceOf(TaskCallbackError);
    await expect(denied).rejects.toThrow('Step Functions refused SendTaskSuccess (AccessDeniedException)');
    const message = await sendTaskCallback('SendTaskSuccess', refused, refusing('ValidationException')).catch(
      (error: Error) => error.message,
    );
    expect(message).not.toContain(TOKEN);
  });
});
