import { type InputErrors, InputReader } from './input-reader.ts';
import { type AwsLocation, defaultLocation } from './location.ts';
import { Partitions } from './partitions.ts';
import { type RequestContext, rootContext } from './request-context.ts';
import { AwsApiError, type AwsServiceEmulator } from './service.ts';

// The one shape of an emulated service: a table from operation name to a
// function of the service's model and the operation's input, behind a thin
// emulator that looks the operation up and reads its input with the
// service's own error codes. A service whose resources live per account and
// region keeps its models in Partitions: each request acts on its location's.

/** One operation: reads its input from `reader`, acts on `model` (its caller's, in `context`), returns the result to encode. */
export type Operation<Model> = (model: Model, reader: InputReader, context: RequestContext) => unknown;

/** A service's operations by name, e.g. `{ ListClusters: listClusters }`. */
export type OperationTable<Model> = Readonly<Record<string, Operation<Model>>>;

/** What the endpoint needs to know of a service, besides its operations. */
export interface ServiceWire {
  /** The name in errors, e.g. `ECS`, `Step Functions`. */
  name: string;
  targetPrefix: string;
  signingName: string;
  errors: InputErrors;
}

/** An emulator that dispatches through an operation table. */
export class TableEmulator<Model> implements AwsServiceEmulator {
  readonly targetPrefix: string;
  readonly signingName: string;
  readonly #wire: ServiceWire;
  readonly #operations: OperationTable<Model>;
  readonly #model: Model | Partitions<Model>;
  readonly #home: AwsLocation;

  /** One model for every request, or `Partitions`: one per account and region; `home` is where calls without a context act. */
  constructor(
    wire: ServiceWire,
    operations: OperationTable<Model>,
    model: Model | Partitions<Model>,
    home: AwsLocation = model instanceof Partitions ? model.home : defaultLocation,
  ) {
    this.targetPrefix = wire.targetPrefix;
    this.signingName = wire.signingName;
    this.#wire = wire;
    this.#operations = operations;
    this.#model = model;
    this.#home = home;
  }

  /** The names of the operations this emulator implements. */
  get operations(): string[] {
    return Object.keys(this.#operations);
  }

  async handle(operation: string, input: Record<string, unknown>, context?: RequestContext): Promise<unknown> {
    // Own keys only: `toString` or `constructor` is no operation.
    const run = Object.hasOwn(this.#operations, operation) ? this.#operations[operation] : undefined;
    if (!run) {
      throw new AwsApiError(
        'UnknownOperationException',
        `The sandbox's ${this.#wire.name} does not support ${operation}.`,
      );
    }
    const request = context ?? rootContext(this.#home);
    const model = this.#model instanceof Partitions ? this.#model.at(request.location) : this.#model;
    return run(model, new InputReader(input, this.#wire.errors), request);
  }
}
