import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { classifyAwsError } from '../../../src/platform/aws-errors.ts';
import { TransientError } from '../../../src/platform/errors.ts';
import { awsError } from '../../support/aws-fixture.ts';

describe('classifyAwsError', () => {
  it.each([
    ['throttling', awsError('ThrottlingException', 'Rate exceeded')],
    ['HTTP 429', awsError('TooManyRequests', 'Slow down', 429)],
    ['a service 5xx', awsError('ServerException', 'Service unavailable. Please try again later.', 500)],
    ['a gateway 503', awsError('ServiceUnavailable', 'Service Unavailable', 503)],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a request timeout', Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' })],
    [
      'an error the service marks retryable',
      Object.assign(awsError('ConflictException', 'Try again'), { $retryable: {} }),
    ],
    [
      'a service fault without HTTP metadata',
      Object.assign(new Error('internal'), { name: 'ServerException', $fault: 'server' }),
    ],
  ])('makes %s a TransientError that keeps the original as its cause', (_what, error) => {
    const classified = classifyAwsError('DescribeServices', error);
    expect(classified).toBeInstanceOf(TransientError);
    expect((classified as TransientError).cause).toBe(error);
    expect((classified as TransientError).message).toBe(
      `DescribeServices failed, worth retrying: ${error.name}: ${error.message}`,
    );
  });

  it.each([
    awsError('ClientException', 'Unable to describe task definition.'),
    awsError('AccessDeniedException', 'User is not authorized to perform: ecs:UpdateService'),
    awsError('InvalidParameterException', 'Invalid revision number.'),
  ])('leaves a client error ($name) for the caller to name', (error) => {
    expect(classifyAwsError('UpdateService', error)).toBe(error);
  });

  it("classifies an error from another realm (Node's own socket errors under a VM context) by its shape", () => {
    const hangUp = runInNewContext(
      "Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' })",
    ) as unknown;
    expect(hangUp instanceof Error).toBe(false);
    const classified = classifyAwsError('RegisterTaskDefinition', hangUp);
    expect(classified).toBeInstanceOf(TransientError);
    expect((classified as TransientError).cause).toBe(hangUp);
  });
});
