import lognormal from '@stdlib/random-base-lognormal';
import poisson from '@stdlib/random-base-poisson';
import randu from '@stdlib/random-base-randu';
import type { SideBehaviour } from './scenario.ts';

// One simulated release's traffic, minute by minute, as the load balancer would
// count it: Poisson requests per side, binomial 5xx answers among them, and one
// TargetResponseTime datapoint a minute (the side's latency times a lognormal
// factor, and times one both sides share that minute when the scenario has
// sharedJitter), published only for minutes that had requests, as ALB does.

/** One side's figures for one minute. */
export interface Minute {
  requests: number;
  errors: number;
  /** Seconds, as TargetResponseTime; absent when the minute had no requests. */
  latency?: number;
}

/** What the scenario says about traffic. */
export interface TrafficShape {
  trafficPerMinute: number;
  /** σ of the lognormal factor both sides' latency share each minute; absent: none. */
  sharedJitter?: number;
  baseline: SideBehaviour;
  canary: SideBehaviour;
}

/**
 * A seeded stream of samples: one MT19937 feeds both distributions (seeding one
 * generator per trial, not one per distribution, halves what a trial costs).
 */
class Sampler {
  readonly #count: (lambda: number) => number;
  readonly #factor: (mu: number, sigma: number) => number;

  constructor(seed: number) {
    const uniform = randu.factory({ name: 'mt19937', seed });
    this.#count = poisson.factory({ prng: uniform });
    this.#factor = lognormal.factory({ prng: uniform });
  }

  // Poisson requests whose errors are binomial among them are two independent
  // Poisson counts (thinning): the same distribution, drawn in constant time,
  // where stdlib's binomial sums a Bernoulli draw per request when n·p < 10.
  minute(meanRequests: number, side: SideBehaviour, shared = 1): Minute {
    const errors = this.#poisson(meanRequests * side.errorRate);
    const requests = errors + this.#poisson(meanRequests * (1 - side.errorRate));
    if (requests === 0) return { requests: 0, errors: 0 };
    const factor = side.latencyJitter > 0 ? this.#factor(0, side.latencyJitter) : 1;
    return { requests, errors, latency: (side.latencyMs * factor * shared) / 1000 };
  }

  /** A minute's factor common to both sides; drawn only when there is one, so other scenarios' streams stay as they were. */
  shared(sigma: number | undefined): number {
    return sigma === undefined || sigma === 0 ? 1 : this.#factor(0, sigma);
  }

  #poisson(mean: number): number {
    return mean > 0 ? this.#count(mean) : 0;
  }
}

/**
 * A trial's traffic, generated as the release reaches each minute: `advanceTo`
 * fills the minutes up to a time with the canary's share then. The stable
 * revision's traffic before the release (all of production) is a separate
 * stream, so that what a judge reads of it does not shift the release's own.
 */
export class TrialTraffic {
  readonly canary: Minute[] = [];
  readonly baseline: Minute[] = [];
  /** Before the release, most recent first: index 0 is the minute just before it. */
  readonly before: Minute[] = [];
  readonly #shape: TrafficShape;
  readonly #seed: number;
  readonly #during: Sampler;
  // Made when first read: most analyses never look before the release.
  #beforeSampler: Sampler | undefined;

  constructor(shape: TrafficShape, seed: number) {
    this.#shape = shape;
    this.#seed = seed;
    this.#during = new Sampler(seed);
  }

  /** Generates the release's minutes up to `minute` (exclusive), the canary getting `canaryShare` (0–1) of the traffic. */
  advanceTo(minute: number, canaryShare: number): void {
    const { trafficPerMinute, canary, baseline, sharedJitter } = this.#shape;
    while (this.canary.length < minute) {
      const shared = this.#during.shared(sharedJitter);
      this.canary.push(this.#during.minute(trafficPerMinute * canaryShare, canary, shared));
      this.baseline.push(this.#during.minute(trafficPerMinute * (1 - canaryShare), baseline, shared));
    }
  }

  /** The stable revision's minute `minutesBefore` before the release (1: the last one), serving all of production. */
  beforeRelease(minutesBefore: number): Minute {
    this.#beforeSampler ??= new Sampler(mixSeed(this.#seed, 0x9e37_79b9));
    while (this.before.length < minutesBefore) {
      const shared = this.#beforeSampler.shared(this.#shape.sharedJitter);
      this.before.push(this.#beforeSampler.minute(this.#shape.trafficPerMinute, this.#shape.baseline, shared));
    }
    return this.before[minutesBefore - 1] ?? { requests: 0, errors: 0 };
  }
}

/** A trial's seed from the scenario's: distinct per trial, never 0 (MT19937 takes 1 to 2³² - 1). */
export function mixSeed(seed: number, trial: number): number {
  // splitmix32-style avalanche, so neighbouring trials get unrelated streams.
  let x = (seed ^ Math.imul(trial + 1, 0x9e37_79b9)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85eb_ca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2_ae35) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x === 0 ? 1 : x;
}
