import { describe, expect, it } from '@jest/globals';
import { costPerMonth, countExecution, releaseCost } from '../../../src/insight/index.ts';

describe('cost per release', () => {
  it('counts transitions, Lambda invocations (direct and lambda:invoke tasks) and analyses', () => {
    expect(
      countExecution([
        { type: 'ExecutionStarted' },
        { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Plan' } },
        { type: 'LambdaFunctionScheduled' },
        { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'CanaryCheck' } },
        { type: 'TaskScheduled', taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke' } },
        { type: 'ChoiceStateEntered', stateEnteredEventDetails: { name: 'Decide' } },
        { type: 'TaskScheduled', taskScheduledEventDetails: { resourceType: 'states', resource: 'startExecution' } },
      ]),
    ).toEqual({ stateTransitions: 3, lambdaInvocations: 2, analyses: 1 });
  });

  it('counts an analysis where CheckRollout analysed (its look said analyse), not at its other looks', () => {
    const look = (next: string) => [
      { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'CheckRollout' } },
      { type: 'LambdaFunctionScheduled' },
      {
        type: 'TaskStateExited',
        stateExitedEventDetails: { name: 'CheckRollout', output: JSON.stringify({ stability: { next } }) },
      },
    ];
    expect(countExecution([...look('wait'), ...look('analyse'), ...look('analyse'), ...look('continue')])).toEqual({
      stateTransitions: 4,
      lambdaInvocations: 4,
      analyses: 2,
    });
  });

  it('prices them at the published rates', () => {
    const cost = releaseCost(
      { stateTransitions: 1000, lambdaInvocations: 1_000_000, analyses: 250 },
      { metricsPerAnalysis: 4, memoryMb: 1024, billedMs: 1000 },
    );
    expect(cost.metricsRequested).toBe(1000);
    expect(cost.usd).toEqual({
      stepFunctions: 0.025,
      lambdaRequests: 0.2,
      lambdaCompute: 13.3334,
      cloudWatch: 0.01,
      total: 13.5684,
    });
    expect(cost.estimated).toContain('estimated');
  });

  it('sums per calendar month, skipping releases without a cost', () => {
    expect(
      costPerMonth([
        { at: '2026-11-30T23:00:00Z', cost: { usd: { total: 0.001 } } },
        { at: '2026-11-01T00:00:00Z', cost: { usd: { total: 0.002 } } },
        { at: '2026-12-01T00:00:00Z', cost: { usd: { total: 0.004 } } },
        { at: '2026-12-02T00:00:00Z' },
        // Two targets of one execution: priced once.
        { at: '2026-12-03T00:00:00Z', executionId: 'e1', cost: { usd: { total: 0.01 } } },
        { at: '2026-12-03T00:00:01Z', executionId: 'e1', cost: { usd: { total: 0.01 } } },
      ]),
    ).toEqual({ '2026-11': 0.003, '2026-12': 0.014 });
  });
});
