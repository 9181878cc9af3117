import { startTraffic, TrafficOptionsError } from '../../sandbox/traffic/generator.ts';
import { release } from './support/ecs-world.ts';
import { useNativeWorld } from './support/native-world.ts';

// The traffic generator against a real sandbox load balancer: its answers
// counted by status and by the image (revision) that served them.

const native = useNativeWorld();

describe('startTraffic', () => {
  it('sends about the rate asked, and counts answers by status and image', async () => {
    const shop = await native.service('traffic1', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    const traffic = startTraffic({ url: shop.loadBalancer.url, ratePerSecond: 100 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const counts = await traffic.stop();
    // A lower bound only: a busy machine may delay ticks, never add requests.
    expect(counts.sent).toBeGreaterThanOrEqual(50);
    expect(counts.sent).toBeLessThanOrEqual(110);
    expect(counts.byStatus).toEqual({ '200': counts.sent - counts.skipped });
    expect(counts.byImage).toEqual({ 'demo/traffic1:v1': { '200': counts.sent - counts.skipped } });
    expect((await traffic.stop()).sent).toBe(counts.sent);
  });

  it('tells the revisions apart by x-demo-image, failures included', async () => {
    const shop = await native.service('traffic2', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    await release(native.world, 'v2-err50', {
      cluster: 'sandbox',
      service: 'traffic2',
      family: 'traffic2',
      repository: 'demo/traffic2',
    });
    const testUrl = shop.loadBalancer.native?.testUrl ?? '';
    await native.world.waitForSteadyState('traffic2');
    const traffic = startTraffic({ url: testUrl, ratePerSecond: 200 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = await traffic.stop();
    const v2 = counts.byImage['demo/traffic2:v2-err50'] ?? {};
    expect(Object.keys(counts.byImage)).toEqual(['demo/traffic2:v2-err50']);
    // Each answer fails with probability 1/2: both kinds seen, and the difference within 4 standard deviations (√n).
    const answered = (v2['500'] ?? 0) + (v2['200'] ?? 0);
    expect(answered).toBeGreaterThan(20);
    expect(Math.abs((v2['500'] ?? 0) - (v2['200'] ?? 0))).toBeLessThanOrEqual(4 * Math.sqrt(answered));
    expect(counts.byStatus['500']).toBe(v2['500']);
  });

  it('records when each image first and last answered, and every answer when asked', async () => {
    const shop = await native.service('traffic3', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    const before = Date.now();
    const traffic = startTraffic({ url: shop.loadBalancer.url, ratePerSecond: 100, recordAnswers: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = await traffic.stop();
    const image = 'demo/traffic3:v1';
    const answers = counts.answers ?? [];
    expect(answers).toHaveLength(counts.sent - counts.skipped);
    expect(answers.every((answer) => answer.image === image && answer.status === '200')).toBe(true);
    expect(counts.firstAnswerAt[image]).toBe(answers[0]?.at);
    expect(counts.lastAnswerAt[image]).toBe(answers.at(-1)?.at);
    expect(counts.firstAnswerAt[image]).toBeGreaterThanOrEqual(before);
    // Off by default: a demo's generator runs for hours.
    const quiet = startTraffic({ url: shop.loadBalancer.url, ratePerSecond: 10 });
    expect((await quiet.stop()).answers).toBeUndefined();
  });

  it('refuses a non-loopback URL and a rate out of range', () => {
    expect(() => startTraffic({ url: 'http://example.com/', ratePerSecond: 5 })).toThrow(TrafficOptionsError);
    expect(() => startTraffic({ url: 'http://127.0.0.1:1/', ratePerSecond: 0 })).toThrow(TrafficOptionsError);
  });
});
