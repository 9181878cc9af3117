import { readFileSync } from 'node:fs';

// AWS API reference responses carry timestamps as epoch seconds; the SDK hands
// them to callers as Dates. Fixtures keep the wire form and are read back the
// way the SDK would deserialize them, so adapters see what they see in AWS.
const TIMESTAMP = /At$/;

const revive = (key: string, value: unknown) =>
  TIMESTAMP.test(key) && typeof value === 'number' ? new Date(value * 1000) : value;

/** A JSON response under test/fixtures (e.g. `ecs/describe-services.json`), deserialized like the SDK does. */
export function awsFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'), revive) as T;
}

/** An AWS service error as the SDK throws it: name, fault and HTTP status. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: '7d3f2c1b-0000-4000-8000-000000000000', attempts: 3 },
  });
}
