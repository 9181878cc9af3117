import type { Execution } from './execution.ts';

/** One line for the sandbox's terminal: how an execution ended and how long it took. */
export function executionSummary(execution: Execution): string {
  const seconds = (((execution.stopDate ?? new Date()).getTime() - execution.startDate.getTime()) / 1000).toFixed(1);
  const why = execution.error ? ` (${execution.error})` : '';
  const mark = execution.status === 'SUCCEEDED' ? '✓' : '✗';
  return `${mark} ${execution.stateMachine.name} ${execution.name} ${execution.status}${why} in ${seconds} s`;
}
