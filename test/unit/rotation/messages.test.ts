import { composeRotationMessage, notifyRotation } from '../../../src/rotation/messages.ts';

const base = { parameter: '/app/db', rotationId: 'r-1', requestedBy: 'alice' };

describe('rotation notice', () => {
  it('says what rotated and where it rolled, by reference only', () => {
    const message = composeRotationMessage(
      {
        ...base,
        outcome: 'ROTATED',
        published: { version: 7, previousVersion: 6 },
        rolls: [{ service: 'web', environment: 'staging', failed: false }],
      },
      '#secrets',
    );
    expect(message.channel).toBe('#secrets');
    expect(message.text).toBe(':key: `/app/db` rotated as version 7\nrotation `r-1` by alice\nservices: web/staging');
  });

  it('is loud about a failure, and honest when the failed rotation had already published', () => {
    const error = { Error: 'RotationTestFailedError', Cause: 'logging in as shop_b failed: PostgreSQL error 28P01' };
    expect(composeRotationMessage({ ...base, outcome: 'FAILED', error }, '#s').text).toMatch(
      /^<!here> :x: rotation of `\/app\/db` failed; nothing was published[\s\S]*RotationTestFailedError: logging in as shop_b/,
    );
    expect(composeRotationMessage({ ...base, outcome: 'FAILED', error, publishedAnyway: true }, '#s').text).toMatch(
      /^<!here> :x: rotation of `\/app\/db` failed after publishing its new value: no service was rolled/,
    );
  });

  it('alerts on a refusal, with the services still on the old credential and how to recover', () => {
    const error = {
      Error: 'CredentialInUseError',
      Cause: 'web/staging (2 task(s)) still run tasks started before version 7 of /app/db was published',
    };
    const { text } = composeRotationMessage({ ...base, outcome: 'REFUSED', error }, '#s');
    expect(text).toMatch(/^<!here> :no_entry: rotation of `\/app\/db` refused: .* nothing was changed/);
    expect(text).toContain('CredentialInUseError: web/staging (2 task(s)) still run tasks');
    expect(text).not.toContain('no services to roll');
  });

  it('never fails the rotation when Slack is down', async () => {
    const down = { post: async () => Promise.reject(new Error('slack 503')) };
    expect(await notifyRotation({ ...base, outcome: 'ROTATED' }, '#s', down)).toEqual({
      delivered: false,
      reason: 'slack 503',
    });
  });
});
