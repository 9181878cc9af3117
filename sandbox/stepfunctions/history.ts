// An execution's history in the shape GetExecutionHistory returns (what the
// console, the AWS CLI and `release watch` read), built from the interpreter's
// event log plus the Lambda invocations the runner makes itself.
import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { StateMachine } from 'aws-local-stepfunctions';

/** One entry of the interpreter's event log (the package does not export the type by name). */
export type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

type Details = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp' | 'type'>;

const TERMINAL = new Set<HistoryEventType>([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);
const json = (value: unknown) => JSON.stringify(value ?? null);
const included = { truncated: false };

export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  /** How many items a Map state entered with this input iterates over (for MapStateStarted). */
  readonly #mapLength: (mapState: string, input: unknown) => number;
  #closed = false;

  constructor(mapLength: (mapState: string, input: unknown) => number = () => 0) {
    this.#mapLength = mapLength;
  }

  add(type: HistoryEventType, details: Details = {}, timestamp: Date = new Date()): void {
    // A closed history stays closed: a function still running when its execution was stopped reports into nothing.
    if (this.#closed) return;
    if (TERMINAL.has(type)) this.#closed = true;
    const id = this.events.length + 1;
    this.events.push({ timestamp, type, id, previousEventId: id - 1, ...details });
  }

  /** Records one event of the interpreter's log (some have no counterpart in AWS). */
  record(event: EventLog, execution: { roleArn: string; abort?: { error?: string; cause?: string } }): void {
    const at = new Date(event.timestamp);
    for (const [type, details] of this.#translate(event, execution)) this.add(type, details, at);
  }

  #translate(
    event: EventLog,
    execution: { roleArn: string; abort?: { error?: string; cause?: string } },
  ): [HistoryEventType, Details][] {
    switch (event.type) {
      case 'ExecutionStarted':
        return [
          [
            'ExecutionStarted',
            {
              executionStartedEventDetails: {
                input: json(event.input),
                inputDetails: included,
                roleArn: execution.roleArn,
              },
            },
          ],
        ];
      case 'ExecutionSucceeded':
        return [
          [
            'ExecutionSucceeded',
            { executionSucceededEventDetails: { output: json(event.output), outputDetails: included } },
          ],
        ];
      case 'ExecutionFailed':
        return [
          ['ExecutionFailed', { executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) } }],
        ];
      case 'ExecutionAborted':
        return [['ExecutionAborted', { executionAbortedEventDetails: { ...execution.abort } }]];
      case 'ExecutionTimeout':
        return [['ExecutionTimedOut', { executionTimedOutEventDetails: {} }]];
      case 'StateEntered': {
        const { name, type, input } = event.state;
        const entered: [HistoryEventType, Details] = [
          `${type}StateEntered` as HistoryEventType,
          { stateEnteredEventDetails: { name, input: json(input), inputDetails: included } },
        ];
        if (type === 'Map') {
          return [
            entered,
            ['MapStateStarted', { mapStateStartedEventDetails: { length: this.#mapLength(name, input) } }],
          ];
        }
        return type === 'Parallel' ? [entered, ['ParallelStateStarted', {}]] : [entered];
      }
      case 'StateExited': {
        const { name, type, output } = event.state;
        const exited: [HistoryEventType, Details] = [
          `${type}StateExited` as HistoryEventType,
          { stateExitedEventDetails: { name, output: json(output), outputDetails: included } },
        ];
        if (type === 'Map') return [['MapStateSucceeded', {}], exited];
        return type === 'Parallel' ? [['ParallelStateSucceeded', {}], exited] : [exited];
      }
      case 'StateFailed':
        // A failed Lambda task is already recorded by the invocation; Map and Parallel have their own events.
        if (event.state.type === 'Map') return [['MapStateFailed', {}]];
        if (event.state.type === 'Parallel') return [['ParallelStateFailed', {}]];
        if (event.state.type === 'Task' && event.Error === 'States.Timeout') {
          return [
            [
              'TaskTimedOut',
              { taskTimedOutEventDetails: { resourceType: 'lambda', resource: 'invoke', error: event.Error } },
            ],
          ];
        }
        return [];
      case 'MapIterationStarted':
        return [
          [
            'MapIterationStarted',
            { mapIterationStartedEventDetails: { name: event.parentState.name, index: event.index } },
          ],
        ];
      case 'MapIterationSucceeded':
        return [
          [
            'MapIterationSucceeded',
            { mapIterationSucceededEventDetails: { name: event.parentState.name, index: event.index } },
          ],
        ];
      case 'MapIterationFailed':
        return [
          [
            'MapIterationFailed',
            { mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index } },
          ],
        ];
      default:
        // StateRetried, StateCaught and Parallel branch events appear in no AWS history.
        return [];
    }
  }
}

/** Causes are strings in AWS histories; the interpreter keeps some as objects. */
function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause);
}
