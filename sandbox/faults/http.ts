// The fault rules over HTTP on the sandbox's AWS endpoint, in the manner of
// LocalStack's chaos API: `GET /_sandbox/faults` lists the rules and what was
// injected, `POST` adds rules (one or a list), `PUT` replaces them all,
// `DELETE` removes them all.
import type { EndpointRoute } from '../aws/server.ts';
import type { FaultInjector } from './injector.ts';
import { InvalidFaultRuleError } from './rules.ts';

export const FAULTS_PATH = '/_sandbox/faults';

/** The route that reads and sets `injector`'s rules. */
export function faultsRoute(injector: FaultInjector): EndpointRoute {
  const state = () => ({ faults: injector.rules(), injected: injector.counts() });
  return async (method, body) => {
    let input: unknown;
    if (method === 'POST' || method === 'PUT') {
      try {
        input = JSON.parse(body);
      } catch {
        return { status: 400, body: { error: 'the body must be a JSON fault rule or a list of them' } };
      }
    }
    const rules = Array.isArray(input) ? input : [input];
    try {
      switch (method) {
        case 'GET':
          return { status: 200, body: state() };
        case 'POST':
          injector.add(...rules);
          return { status: 200, body: state() };
        case 'PUT':
          injector.set(rules);
          return { status: 200, body: state() };
        case 'DELETE':
          injector.clear();
          return { status: 200, body: state() };
        default:
          return { status: 405, body: { error: `${method} is not supported: GET, POST, PUT or DELETE` } };
      }
    } catch (error) {
      if (error instanceof InvalidFaultRuleError) return { status: 400, body: { error: error.message } };
      throw error;
    }
  };
}
