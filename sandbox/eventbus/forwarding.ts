import { type Catalog, resolvePlacement } from '../../src/catalog/index.ts';
import type { AwsLocation } from '../aws/location.ts';
import type { EventBridgeEvent } from './bus.ts';

// In AWS, ECR and ECS put their events on the default bus of the account and
// region the repository or service lives in; the automation's rules are on
// its own default bus. A target or tools account forwards its `aws.ecr` and
// `aws.ecs` events there with a rule (README, "Many accounts and regions"),
// and the automation's bus policy lets exactly the catalog's accounts put
// them. The sandbox models the outcome: every account and region the catalog
// names (an environment's own, its registry's) has that rule; any other's
// events stay on its own bus, which has no rules. What reaches the bus this
// way is published like the automation's own events, so event faults
// (`--fault drop@1:events.aws.ecr`) befall forwarded events too.

const keyOf = ({ accountId, region }: AwsLocation) => `${accountId}/${region}`;

/** Which accounts' and regions' service events reach the automation's default bus. */
export class EventForwarding {
  readonly #home: AwsLocation;
  readonly #from = new Set<string>();

  constructor(home: AwsLocation) {
    this.#home = home;
  }

  /** Gives these accounts and regions the forwarding rule. */
  forwardFrom(locations: Iterable<AwsLocation>): void {
    for (const location of locations) this.#from.add(keyOf(location));
  }

  /** Whether an event ECR or ECS put on its own account and region's bus reaches the automation's. */
  reaches(event: Pick<EventBridgeEvent, 'account' | 'region'>): boolean {
    const from = { accountId: event.account, region: event.region };
    return keyOf(from) === keyOf(this.#home) || this.#from.has(keyOf(from));
  }
}

/** Every account and region the catalog names, resolved against the automation's own `home`: where the forwarding rules are. */
export function catalogLocations(catalog: Catalog, home: AwsLocation): AwsLocation[] {
  const automation = { account: home.accountId, region: home.region };
  return Object.values(catalog.services)
    .flatMap(({ environments }) => Object.values(environments))
    .flatMap((config) => [resolvePlacement(config, automation), resolvePlacement(config.registry ?? {}, automation)])
    .map(({ account, region }) => ({ accountId: account, region }));
}
