import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ReleaseSandbox, startReleaseSandbox } from '../../scripts/lib/release-sandbox.ts';
import { probe, releaseImage, releaseOutcome } from '../../scripts/lib/releases.ts';
import { readStatus } from '../../src/cli/status.ts';
import { E2E_TIME_FACTOR } from './support/e2e.ts';

// Several sandboxes in one process (the composition root): each wires the
// functions with its own environment, endpoint and credentials, so a release
// pushed to one runs on that one's ECS, lands in its tables and leaves the
// other untouched, whichever started last.

let first: ReleaseSandbox;
let second: ReleaseSandbox;

beforeAll(async () => {
  first = await startReleaseSandbox({ timeFactor: E2E_TIME_FACTOR });
  second = await startReleaseSandbox({ timeFactor: E2E_TIME_FACTOR });
}, 120_000);

afterAll(async () => {
  await first?.stop();
  await second?.stop();
}, 30_000);

describe('two sandboxes in one process', () => {
  it('each releases on its own', async () => {
    expect(first.sandbox.endpoint).not.toBe(second.sandbox.endpoint);
    // The first sandbox's functions run after the second was started: they still reach the first.
    const one = await releaseImage(first.target, 'demo/web', 'one-v2');
    const two = await releaseImage(second.target, 'demo/web', 'two-v2');
    expect(await releaseOutcome(first.target, one, one.digest)).toBe('SUCCEEDED');
    expect(await releaseOutcome(second.target, two, two.digest)).toBe('SUCCEEDED');

    const images = async (rs: ReleaseSandbox) => new Set((await probe(rs.lbUrl(), 6)).map((answer) => answer.image));
    expect(await images(first)).toEqual(new Set(['demo/web:one-v2']));
    expect(await images(second)).toEqual(new Set(['demo/web:two-v2']));

    const digests = async (rs: ReleaseSandbox) => (await readStatus(rs.target, { limit: 100 })).map((r) => r.digest);
    expect(await digests(first)).toContain(one.digest);
    expect(await digests(first)).not.toContain(two.digest);
    expect(await digests(second)).toContain(two.digest);
    expect(await digests(second)).not.toContain(one.digest);
  }, 120_000);
});
