import type { AwsLocation } from './location.ts';

// State kept per account and region, as LocalStack's stores are: a service's
// model for each (account, region) a request names, made on first use, so that
// what one account or region holds is invisible from any other. The home
// partition is the one the sandbox seeds and its own calls act on.

/** One model per account and region, the home one given, the others made on first use. */
export class Partitions<Model> {
  readonly home: AwsLocation;
  readonly #create: (location: AwsLocation) => Model;
  readonly #models = new Map<string, { location: AwsLocation; model: Model }>();

  constructor(home: AwsLocation, create: (location: AwsLocation) => Model, homeModel?: Model) {
    this.home = { accountId: home.accountId, region: home.region };
    this.#create = create;
    if (homeModel !== undefined) this.#models.set(keyOf(this.home), { location: this.home, model: homeModel });
  }

  /** The model of `location` (default: home), made now if this is its first use. */
  at(location: AwsLocation = this.home): Model {
    const key = keyOf(location);
    let entry = this.#models.get(key);
    if (!entry) {
      const copy = { accountId: location.accountId, region: location.region };
      entry = { location: copy, model: this.#create(copy) };
      this.#models.set(key, entry);
    }
    return entry.model;
  }

  /** The model of `location` if it was ever used. */
  find(location: AwsLocation): Model | undefined {
    return this.#models.get(keyOf(location))?.model;
  }

  /** Every model made so far, with its location, home first. */
  entries(): { location: AwsLocation; model: Model }[] {
    return [...this.#models.values()];
  }
}

const keyOf = ({ accountId, region }: AwsLocation): string => `${accountId}/${region}`;
