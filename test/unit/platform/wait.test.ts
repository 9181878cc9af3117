import { describe, expect, it } from '@jest/globals';
import { pollUntil, sleep } from '../../../src/platform/wait.ts';

describe('wait', () => {
  it('sleeps about as long as asked', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('polls until the probe has an answer, and returns it', async () => {
    let calls = 0;
    const found = await pollUntil(async () => (++calls === 3 ? 'arn:found' : undefined), {
      timeoutMs: 5000,
      intervalMs: 1,
    });
    expect(found).toBe('arn:found');
    expect(calls).toBe(3);
  });

  it('gives up with undefined once the deadline has passed', async () => {
    let calls = 0;
    const started = Date.now();
    const found = await pollUntil(
      async () => {
        calls++;
        return undefined;
      },
      { timeoutMs: 50, intervalMs: 10 },
    );
    expect(found).toBeUndefined();
    expect(calls).toBeGreaterThan(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
