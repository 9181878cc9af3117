import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { failureOf, outcomesOf, readableCause } from '../../../src/cli/history.ts';

const at = new Date('2026-11-21T12:00:00Z');

describe('release history', () => {
  it('reads the outcomes of a succeeded execution from its output', () => {
    const output = JSON.stringify({
      releases: [{ releaseId: 'web-staging-1', outcome: 'SUCCEEDED' }],
      anyFailed: false,
    });
    expect(outcomesOf(output)).toEqual([{ releaseId: 'web-staging-1', outcome: 'SUCCEEDED' }]);
    expect(outcomesOf(JSON.stringify({ releases: [], refused: 'repository x is not in the service catalog' }))).toEqual(
      [{ outcome: 'REFUSED', reason: 'repository x is not in the service catalog' }],
    );
  });

  it("reads a failed execution's outcomes from its Summarize state, since a Fail state has no output", () => {
    const rolledBack = { releaseId: 'web-staging-2', outcome: 'ROLLED_BACK', error: { Error: 'SmokeTestFailedError' } };
    const history: HistoryEvent[] = [
      {
        id: 40,
        timestamp: at,
        type: 'PassStateExited',
        stateExitedEventDetails: {
          name: 'Summarize',
          output: JSON.stringify({ releases: [rolledBack], anyFailed: true }),
        },
      },
      { id: 43, timestamp: at, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'ReleaseFailed' } },
    ];
    expect(outcomesOf(undefined, history)).toEqual([rolledBack]);
    const refused = {
      service: 'ghost',
      environment: 'staging',
      reason: 'ECS service ghost in cluster sandbox does not exist',
    };
    const summary = { releases: [rolledBack], refusedTargets: [refused], anyFailed: true };
    const withRefused: HistoryEvent[] = [
      {
        id: 40,
        timestamp: at,
        type: 'PassStateExited',
        stateExitedEventDetails: { name: 'Summarize', output: JSON.stringify(summary) },
      },
    ];
    expect(outcomesOf(undefined, withRefused)).toEqual([
      rolledBack,
      { releaseId: 'ghost/staging', outcome: 'REFUSED', reason: refused.reason },
    ]);
  });

  it("shows a Lambda failure's message, not its JSON envelope", () => {
    const cause = JSON.stringify({
      errorType: 'DeploymentFailedError',
      errorMessage: 'circuit breaker tripped',
      trace: [],
    });
    expect(readableCause(cause)).toBe('circuit breaker tripped');
    expect(readableCause('plain words')).toBe('plain words');
    expect(
      failureOf({
        id: 9,
        timestamp: at,
        type: 'LambdaFunctionFailed',
        lambdaFunctionFailedEventDetails: { error: 'DeploymentFailedError', cause },
      }),
    ).toBe('DeploymentFailedError: circuit breaker tripped');
  });
});
