import type { Catalog, EnvironmentConfig, ServiceConfig } from './schema.ts';

// Names someone typed (`/release deploy web v1 constructor`) are looked up
// among the catalog's own entries only: on a plain object `constructor` finds
// Object's own function, where the answer is "no such environment".

/** The catalog's service `name`, or undefined when the catalog lists none by that name. */
export function catalogService(catalog: Pick<Catalog, 'services'>, name: string): ServiceConfig | undefined {
  return ownEntry(catalog.services, name);
}

/** Environment `name` of a catalog service, or undefined when the service has none by that name. */
export function catalogEnvironment(service: ServiceConfig, name: string): EnvironmentConfig | undefined {
  return ownEntry(service.environments, name);
}

/** Environment `environment` of service `service`, or undefined when the catalog lists no such pair. */
export function catalogTarget(
  catalog: Pick<Catalog, 'services'>,
  service: string,
  environment: string,
): EnvironmentConfig | undefined {
  const found = catalogService(catalog, service);
  return found === undefined ? undefined : catalogEnvironment(found, environment);
}

function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
