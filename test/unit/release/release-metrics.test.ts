import type { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from '@jest/globals';
import { releaseMetrics } from '../../../src/release/wiring.ts';

// What finish publishes per ended release (EMF, one single-metric document each):
// the count and lead time by outcome, and the four keys' raw figures per target.

function recorder() {
  const documents: { dimensions: Record<string, string>; metrics: Record<string, number> }[] = [];
  const metrics = {
    singleMetric() {
      const document = { dimensions: {}, metrics: {} as Record<string, number> };
      documents.push(document);
      return {
        addDimensions: (dimensions: Record<string, string>) => Object.assign(document.dimensions, dimensions),
        addMetric: (name: string, _unit: string, value: number) => {
          document.metrics[name] = value;
        },
      };
    },
  } as unknown as Metrics;
  return { metrics, documents };
}

describe('release metrics', () => {
  it('publishes success, failure, duration and lead time per service and environment', () => {
    const { metrics, documents } = recorder();
    const observe = releaseMetrics(metrics);
    observe({
      service: 'web',
      environment: 'production',
      outcome: 'SUCCEEDED',
      leadTimeSeconds: 90,
      durationSeconds: 60,
    });
    observe({
      service: 'web',
      environment: 'production',
      outcome: 'ROLLED_BACK',
      leadTimeSeconds: 80,
      durationSeconds: 50,
    });
    expect(documents[1]).toEqual({
      dimensions: { catalogService: 'web', environment: 'production' },
      metrics: { ReleaseSucceeded: 1, ReleaseFailed: 0, ReleaseDurationSeconds: 60, LeadTimeSeconds: 90 },
    });
    expect(documents[3]).toEqual({
      dimensions: { catalogService: 'web', environment: 'production' },
      metrics: { ReleaseSucceeded: 0, ReleaseFailed: 1, ReleaseDurationSeconds: 50 },
    });
    expect(documents[2]?.dimensions).toEqual({
      catalogService: 'web',
      environment: 'production',
      outcome: 'ROLLED_BACK',
    });
  });

  it('publishes nothing without metrics (the sandbox)', () => {
    expect(() =>
      releaseMetrics(undefined)({
        service: 'web',
        environment: 's',
        outcome: 'NOOP',
        leadTimeSeconds: 0,
        durationSeconds: 0,
      }),
    ).not.toThrow();
  });
});
