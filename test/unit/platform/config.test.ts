import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../src/platform/config.ts';
import { ConfigurationError } from '../../../src/platform/errors.ts';

describe('loadConfig', () => {
  it('returns the keys asked for, typed, from their variables', () => {
    const config = loadConfig({ RELEASES_TABLE: 'releases', LOCKS_TABLE: 'locks', EVENT_BUS_NAME: 'bus' }, [
      'releasesTable',
      'locksTable',
    ]);
    expect(config).toEqual({ releasesTable: 'releases', locksTable: 'locks' });
  });

  it('fails with the missing variable named', () => {
    expect(() => loadConfig({ RELEASES_TABLE: 'releases' }, ['releasesTable', 'locksTable'])).toThrow(
      new ConfigurationError('environment variable LOCKS_TABLE is not set'),
    );
  });

  it('takes an empty variable for an unset one', () => {
    expect(() => loadConfig({ IDEMPOTENCY_TABLE: '' }, ['idempotencyTable'])).toThrow(
      'environment variable IDEMPOTENCY_TABLE is not set',
    );
  });

  it('fails with a malformed variable named', () => {
    expect(() => loadConfig({ SLACK_API_URL: 'not a url' }, ['slackApiUrl'])).toThrow(
      new ConfigurationError('environment variable SLACK_API_URL is malformed'),
    );
  });

  it('leaves an optional variable unset undefined', () => {
    expect(loadConfig({}, ['slackApiUrl', 'catalogFile'])).toEqual({ slackApiUrl: undefined, catalogFile: undefined });
  });
});
