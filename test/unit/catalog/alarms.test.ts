import { describe, expect, it } from '@jest/globals';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import { catalogEnvironment } from '../../support/plan-ports.ts';

// The catalog's opt-in to the stale-release alarm (README, Alarms): whole
// hours, 1 to 168 (CloudWatch evaluates at most 7 days of hourly periods).

const parse = (alarms: unknown) =>
  catalogSchema.safeParse({ services: { web: { environments: { production: catalogEnvironment({ alarms }) } } } });

describe('alarms.staleAfterHours', () => {
  it.each([1, 24, 168])('%i hours is accepted', (hours) => {
    const parsed = parse({ staleAfterHours: hours });
    expect(parsed.success && parsed.data.services.web?.environments.production?.alarms).toEqual({
      staleAfterHours: hours,
    });
  });

  it.each([
    ['0 hours', { staleAfterHours: 0 }],
    ['over 7 days', { staleAfterHours: 169 }],
    ['a fraction', { staleAfterHours: 1.5 }],
    ['an unknown setting', { staleAfterHours: 24, failureRate: 20 }],
  ])('%s is refused', (_, alarms) => {
    expect(parse(alarms).success).toBe(false);
  });

  it('is optional: no alarm unless a target opts in', () => {
    const parsed = parse(undefined);
    expect(parsed.success && parsed.data.services.web?.environments.production?.alarms).toBeUndefined();
  });
});
