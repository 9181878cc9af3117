import { type InputErrors, InputReader } from './input-reader.ts';
import { AwsApiError, type AwsServiceEmulator } from './service.ts';

// The one shape of an emulated service: a table from operation name to a
// function of the service's model and the operation's input, behind a thin
// emulator that looks the operation up and reads its input with the
// service's own error codes.

/** One operation: reads its input from `reader`, acts on `model`, returns the result to encode. */
export type Operation<Model> = (model: Model, reader: InputReader) => unknown;

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
  readonly #model: Model;

  constructor(wire: ServiceWire, operations: OperationTable<Model>, model: Model) {
    this.targetPrefix = wire.targetPrefix;
    this.signingName = wire.signingName;
    this.#wire = wire;
    this.#operations = operations;
    this.#model = model;
  }

  /** The names of the operations this emulator implements. */
  get operations(): string[] {
    return Object.keys(this.#operations);
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    // Own keys only: `toString` or `constructor` is no operation.
    const run = Object.hasOwn(this.#operations, operation) ? this.#operations[operation] : undefined;
    if (!run) {
      throw new AwsApiError(
        'UnknownOperationException',
        `The sandbox's ${this.#wire.name} does not support ${operation}.`,
      );
    }
    return run(this.#model, new InputReader(input, this.#wire.errors));
  }
}
