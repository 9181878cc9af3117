import { SimulatedMetrics, timeAt } from '../../../scripts/canary-lab/metrics.ts';
import { rolloutSchedule } from '../../../scripts/canary-lab/schedule.ts';
import { mixSeed, TrialTraffic } from '../../../scripts/canary-lab/traffic.ts';

const side = { errorRate: 0.02, latencyMs: 100, latencyJitter: 0.2 };
const query = (start: Date, end: Date, baselineWindow?: { start: Date; end: Date }) => ({
  loadBalancer: 'app/lab/0',
  targetGroups: { canary: 'targetgroup/c/1', baseline: 'targetgroup/b/2' },
  start,
  end,
  ...(baselineWindow === undefined ? {} : { baselineWindow }),
  periodSeconds: 60,
  custom: [],
});

describe("the lab's metrics and rollout", () => {
  it('sums whole minutes of the window per side, counting the periods with requests, latency in seconds per period', async () => {
    const traffic = new TrialTraffic({ trafficPerMinute: 600, baseline: side, canary: side }, mixSeed(1, 0));
    traffic.advanceTo(5, 0.1);
    const read = await new SimulatedMetrics(traffic).readCanaryMetrics(query(timeAt(1), timeAt(4)));
    const minutes = traffic.canary.slice(1, 4);
    expect(read.counts.canary).toEqual({
      requests: minutes.reduce((sum, m) => sum + m.requests, 0),
      errors: minutes.reduce((sum, m) => sum + m.errors, 0),
      periods: 3,
    });
    expect(read.latency.canary).toEqual(minutes.map((m) => m.latency));
    expect(read.latency.canary.every((seconds) => seconds > 0.03 && seconds < 0.3)).toBe(true);
    expect(read.counts.baseline.requests).toBeGreaterThan(read.counts.canary.requests * 5);
  });

  it("reads a baseline window before the release from the stable revision's traffic then, at all of production", async () => {
    const traffic = new TrialTraffic({ trafficPerMinute: 600, baseline: side, canary: side }, mixSeed(1, 0));
    traffic.advanceTo(13, 1);
    const read = await new SimulatedMetrics(traffic).readCanaryMetrics(
      query(timeAt(10), timeAt(13), { start: timeAt(-3), end: timeAt(0) }),
    );
    const before = [traffic.beforeRelease(3), traffic.beforeRelease(2), traffic.beforeRelease(1)];
    expect(read.counts.baseline.requests).toBe(before.reduce((sum, m) => sum + m.requests, 0));
    expect(read.latency.baseline).toEqual(before.map((m) => m.latency));
    expect(read.counts.baseline.requests).toBeGreaterThan(1500);
  });

  it("serves the baseline's latency over a history window from the stable revision's minutes before the release", async () => {
    const traffic = new TrialTraffic({ trafficPerMinute: 600, baseline: side, canary: side }, mixSeed(1, 0));
    traffic.advanceTo(3, 0.1);
    const read = await new SimulatedMetrics(traffic).readCanaryMetrics({
      ...query(timeAt(0), timeAt(3)),
      historyWindow: { start: timeAt(-4), end: timeAt(0) },
    });
    const before = [4, 3, 2, 1].map((minutes) => traffic.beforeRelease(minutes).latency);
    expect(read.latencyHistory).toEqual(before);
    expect(read.latencyHistory).toHaveLength(4);
    expect(read.latency.baseline).toEqual(traffic.baseline.slice(0, 3).map((m) => m.latency));
  });

  it('moves both sides and the minutes before the release together by sharedJitter', () => {
    const still = { ...side, latencyJitter: 0 };
    const traffic = new TrialTraffic(
      { trafficPerMinute: 600, baseline: still, canary: still, sharedJitter: 0.3 },
      mixSeed(1, 0),
    );
    traffic.advanceTo(20, 0.1);
    const canary = traffic.canary.map((m) => m.latency);
    expect(canary).toEqual(traffic.baseline.map((m) => m.latency));
    expect(new Set(canary).size).toBe(20);
    const before = [1, 2, 3].map((minutes) => traffic.beforeRelease(minutes).latency);
    expect(new Set(before).size).toBe(3);
  });

  it("takes ECS's steps: one canary share, or linear shares below 100 %, then the final bake", () => {
    expect(rolloutSchedule({ strategy: 'canary', canary: { percent: 5, bakeMinutes: 10 }, bakeMinutes: 10 })).toEqual({
      shared: [{ share: 0.05, bakeMinutes: 10 }],
      finalBakeMinutes: 10,
    });
    const linear = rolloutSchedule({
      strategy: 'linear',
      linear: { stepPercent: 33.3, stepBakeMinutes: 6 },
      bakeMinutes: 0,
    });
    expect(linear.shared.map((step) => step.share)).toEqual([0.333, 0.666, 0.999]);
    expect(rolloutSchedule({ strategy: 'blue-green', bakeMinutes: 10 })).toEqual({ shared: [], finalBakeMinutes: 10 });
  });
});
