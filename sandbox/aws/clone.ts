// A deep copy of JSON-like data that keeps Dates as Dates of this realm.
// structuredClone would do, except that its Dates come from the host realm:
// under jest's VM modules they fail `instanceof Date`, and the endpoint
// encodes timestamps by that test.

const isDate = (value: unknown): value is Date => Object.prototype.toString.call(value) === '[object Date]';

export function clone<T>(value: T): T {
  if (isDate(value)) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => clone(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clone(item)])) as T;
  }
  return value;
}
