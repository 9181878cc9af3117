import { fileURLToPath } from 'node:url';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from '@jest/globals';
import { call, SECRET, sfn, useSlackCommand, writes } from '../../support/slack-command-fixture.ts';
import { commandEvent, replyOf } from '../../support/slack-events.ts';

// `/release rotate <secret>` through the handler: the secret's rotators (a
// user, or a member of a user group) start the rotation state machine with the
// input `npx release rotate` gives it; anyone else, an unknown secret or one
// naming no rotators gets a clear reply and nothing starts.

useSlackCommand({
  RELEASE_CATALOG_FILE: fileURLToPath(new URL('../../fixtures/catalog/chat-rotate.yml', import.meta.url)),
});

const slash = async (line: string, user: string, timestamp?: number) =>
  replyOf(await call(commandEvent(line, user, SECRET, timestamp)));
const starts = () => sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);

describe('/release rotate', () => {
  it.each([
    ['web-db', 'U0ROTATOR'],
    ['/release-automation/test/web/db', 'U0GROUPIE'],
  ])(
    '%s by %s starts the rotation state machine, named by the rotation id, and says so in the channel',
    async (secret, user) => {
      const reply = await slash(`/release rotate ${secret}`, user);
      const [start, ...more] = starts();
      expect(more).toEqual([]);
      expect(start?.stateMachineArn).toBe(
        'arn:aws:states:us-east-1:123456789012:stateMachine:release-automation-dev-rotation',
      );
      const input = JSON.parse(start?.input ?? '{}');
      expect(input).toEqual({
        parameter: '/release-automation/test/web/db',
        rotationId: expect.stringMatching(new RegExp(`^rotate-\\d{8}T\\d{6}-\\d+-${user}-[0-9a-f]{8}$`)),
        requestedBy: user,
      });
      expect(start?.name).toBe(input.rotationId);
      expect(reply.responseType).toBe('in_channel');
      expect(reply.text).toContain(`<@${user}> started rotation \`${input.rotationId}\` of \`web-db\``);
      expect(reply.text).toContain('#db');
    },
  );

  it('refuses someone who is not a rotator, starting nothing', async () => {
    expect((await slash('/release rotate web-db', 'U0DEPLOYER')).text).toBe('You may not rotate `web-db`.');
    expect(writes()).toBe(0);
  });

  it('refuses a secret that names no rotators, whoever asks', async () => {
    expect((await slash('/release rotate api-key', 'U0ROTATOR')).text).toBe(
      'Nobody may rotate `api-key` from Slack (the catalog names no rotators).',
    );
    expect(writes()).toBe(0);
  });

  it('names the catalog secrets for an unknown one, starting nothing', async () => {
    expect((await slash('/release rotate /app/db-password', 'U0ROTATOR')).text).toBe(
      "Unknown secret `/app/db-password`: the catalog's secrets are `web-db`, `api-key`. Nothing was rotated.",
    );
    expect(writes()).toBe(0);
  });

  it('reports a rotation Step Functions refused by the error name, not as started', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('no such machine'), { name: 'StateMachineDoesNotExist' }));
    const reply = await slash('/release rotate web-db', 'U0ROTATOR');
    expect(reply.text).toMatch(/^That did not work \(\w+\)/);
    expect(reply.text).not.toContain('started rotation');
  });
});
