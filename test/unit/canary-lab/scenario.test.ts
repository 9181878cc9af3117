import fc from 'fast-check';
import { InvalidScenarioError } from '../../../scripts/canary-lab/errors.ts';
import { isHealthy, MAX_TRIALS, parseScenario } from '../../../scripts/canary-lab/scenario.ts';

const side = { errorRate: 0.01, latencyMs: 100, latencyJitter: 0.15 };
const valid = { trials: 10, seed: 1, trafficPerMinute: 600, baseline: side, canary: side };

const rejected = (input: unknown): string => {
  try {
    parseScenario(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidScenarioError);
    return (error as Error).message;
  }
  throw new Error('the scenario was accepted');
};

describe('canary-lab scenarios', () => {
  it("applies the catalog's defaults: the default analysis policy and its canary strategy", () => {
    const scenario = parseScenario(JSON.stringify(valid));
    expect(scenario.policy).toMatchObject({ intervalSeconds: 60, confidence: 0.99, minimumRequests: 100 });
    expect(scenario.strategy).toMatchObject({
      strategy: 'canary',
      canary: { percent: 10, bakeMinutes: 10 },
      bakeMinutes: 10,
    });
    expect(isHealthy(scenario)).toBe(true);
  });

  it.each([
    ['an unknown field', { ...valid, trial: 10 }, /Unrecognized key.*"trial"/],
    ['a rate above 1', { ...valid, canary: { ...side, errorRate: 1.5 } }, /canary\.errorRate/],
    ['a negative rate', { ...valid, baseline: { ...side, errorRate: -0.1 } }, /baseline\.errorRate/],
    ['too many trials', { ...valid, trials: MAX_TRIALS + 1 }, /trials/],
    ['no trials', { ...valid, trials: 0 }, /trials/],
    ['a fractional seed', { ...valid, seed: 1.5 }, /seed/],
    ['no traffic', { ...valid, trafficPerMinute: 0 }, /trafficPerMinute/],
    ['a policy the catalog refuses', { ...valid, policy: { confidence: 2 } }, /policy\.confidence/],
    [
      'an interval below the metrics resolution',
      { ...valid, policy: { intervalSeconds: 30 } },
      /policy\.intervalSeconds/,
    ],
    ['a rolling strategy', { ...valid, strategy: { strategy: 'rolling' } }, /strategy\.strategy/],
    [
      'a block of another strategy',
      { ...valid, strategy: { strategy: 'linear', canary: { percent: 5 } } },
      /strategy\.canary/,
    ],
    ['a share ECS refuses', { ...valid, strategy: { canary: { percent: 0.05 } } }, /strategy\.canary\.percent/],
    ['missing fields', { trials: 10 }, /seed/],
  ])('rejects %s, naming the field', (_case, input, message) => {
    expect(rejected(input)).toMatch(message);
  });

  it('rejects text that is not JSON', () => {
    expect(rejected('{"trials": 10,')).toMatch(/not JSON/);
  });

  it('answers any JSON with a scenario or an InvalidScenarioError, never another error', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        try {
          parseScenario(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidScenarioError);
        }
      }),
    );
  });

  it('rejects any rate outside 0–1 and any trials count outside 1–100,000, naming the field', () => {
    const rate = fc.oneof(
      fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
      fc.double({ min: 1.000001, noNaN: true }),
    );
    const trials = fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_TRIALS + 1 }));
    fc.assert(
      fc.property(fc.constantFrom('baseline', 'canary'), rate, trials, (which, errorRate, count) => {
        expect(rejected({ ...valid, [which]: { ...side, errorRate } })).toContain(`${which}.errorRate`);
        expect(rejected({ ...valid, trials: count })).toContain('trials');
      }),
    );
  });
});
