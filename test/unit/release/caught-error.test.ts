import { describeCaughtError } from '../../../src/release/caught-error.ts';

describe('describeCaughtError', () => {
  it('reads the error type and message of a Lambda failure', () => {
    const Cause = JSON.stringify({
      errorType: 'StabilityTimeoutError',
      errorMessage: 'web did not become stable by 10:40',
      trace: ['StabilityTimeoutError: web did not become stable', '    at check (file:///var/task/index.mjs:1:1)'],
    });
    expect(describeCaughtError({ Error: 'StabilityTimeoutError', Cause })).toBe(
      'StabilityTimeoutError: web did not become stable by 10:40',
    );
  });

  it('uses the plain text cause Step Functions itself gives', () => {
    expect(describeCaughtError({ Error: 'States.Timeout', Cause: 'Task timed out after 30 seconds' })).toBe(
      'States.Timeout: Task timed out after 30 seconds',
    );
  });

  it('falls back to the error name when there is no cause', () => {
    expect(describeCaughtError({ Error: 'States.TaskFailed' })).toBe('States.TaskFailed');
    expect(describeCaughtError({ Error: 'States.TaskFailed', Cause: '  ' })).toBe('States.TaskFailed');
  });

  it('names a Lambda failure without an error type after the caught error', () => {
    const Cause = JSON.stringify({ errorMessage: '2026-11-21T10:30:00Z abc Task timed out after 30.03 seconds' });
    expect(describeCaughtError({ Error: 'Sandbox.Timedout', Cause })).toBe(
      'Sandbox.Timedout: 2026-11-21T10:30:00Z abc Task timed out after 30.03 seconds',
    );
  });

  it('does not repeat a name the message already starts with', () => {
    const Cause = JSON.stringify({ errorType: 'Error', errorMessage: 'Error: socket hang up' });
    expect(describeCaughtError({ Error: 'Error', Cause })).toBe('Error: socket hang up');
  });

  it('keeps a cause that only looks like JSON as text', () => {
    expect(describeCaughtError({ Error: 'X', Cause: '{not json' })).toBe('X: {not json');
    expect(describeCaughtError({ Error: 'X', Cause: '{"other":1}' })).toBe('X: {"other":1}');
  });

  it('cuts a very long cause', () => {
    const reason = describeCaughtError({ Error: 'X', Cause: 'y'.repeat(5000) });
    expect(reason.length).toBe(1500);
    expect(reason.endsWith('…')).toBe(true);
  });
});
