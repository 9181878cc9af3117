import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '../../../src/platform/errors.ts';
import { parseEcrPush } from '../../../src/release/events/ecr-push.ts';

type Event = Record<string, unknown> & { detail: Record<string, unknown> };
const sample = (variant: string): Event => JSON.parse(readFileSync(`events/aws.ecr/${variant}.json`, 'utf8'));

describe('parseEcrPush', () => {
  it('reads the push from a successful PUSH event', () => {
    expect(parseEcrPush(sample('push'))).toEqual({
      eventId: '13cde686-328b-6117-af20-0e5566167482',
      at: '2026-11-21T10:15:30Z',
      // The registry's account and region: where the image is read.
      account: '123456789012',
      region: 'us-east-1',
      repository: 'demo/web',
      tag: 'v2',
      digest: 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd',
    });
  });

  it('reads an event without account or region (an input from before accounts) as a push to the automation', () => {
    const { account: _account, region: _region, ...event } = sample('push');
    const push = parseEcrPush(event);
    expect(push).not.toHaveProperty('account');
    expect(push).not.toHaveProperty('region');
  });

  it('rejects an account that is not twelve digits', () => {
    expect(() => parseEcrPush({ ...sample('push'), account: '3333' })).toThrow(InvalidInputError);
  });

  it('reads a push by digest only, which has no tag', () => {
    const event = sample('push');
    delete event.detail['image-tag'];
    expect(parseEcrPush(event)).not.toHaveProperty('tag');
  });

  it('rejects a failed push', () => {
    expect(() => parseEcrPush(sample('push-failed'))).toThrow(InvalidInputError);
    expect(() => parseEcrPush(sample('push-failed'))).toThrow(
      'ECR event b7d9a0e2-1c3f-4e5a-9b8d-6f2e4a1c3b5d is not a successful push of demo/web: action-type PUSH, result FAILURE',
    );
  });

  it('rejects a DELETE', () => {
    const event = sample('push');
    event.detail['action-type'] = 'DELETE';
    expect(() => parseEcrPush(event)).toThrow('action-type DELETE, result SUCCESS');
  });

  it('rejects an event of another kind, naming what is wrong', () => {
    const event = { ...sample('push'), 'detail-type': 'ECR Image Scan' };
    expect(() => parseEcrPush(event)).toThrow(InvalidInputError);
    expect(() => parseEcrPush(event)).toThrow('detail-type');
  });

  it('rejects a malformed event, naming the field', () => {
    const event = sample('push');
    delete event.detail['repository-name'];
    event.detail['image-digest'] = 'not a digest';
    expect(() => parseEcrPush(event)).toThrow(/repository-name[\s\S]*image-digest/);
    expect(() => parseEcrPush(undefined)).toThrow(InvalidInputError);
  });

  // Each of these becomes part of a DynamoDB key or an ECR request: what AWS would refuse later is refused here.
  it.each([
    ['an event id longer than 128 characters', (e: Event) => Object.assign(e, { id: 'e'.repeat(3000) }), 'id'],
    ['an event id with a key separator', (e: Event) => Object.assign(e, { id: 'a#b' }), 'id'],
    [
      'a one-character repository name',
      (e: Event) => Object.assign(e.detail, { 'repository-name': 'a' }),
      'repository-name',
    ],
    [
      'a repository name in capitals',
      (e: Event) => Object.assign(e.detail, { 'repository-name': 'Demo/Web' }),
      'repository-name',
    ],
    [
      'a repository name longer than 256 characters',
      (e: Event) => Object.assign(e.detail, { 'repository-name': `demo/${'w'.repeat(252)}` }),
      'repository-name',
    ],
    [
      'a tag longer than 128 characters',
      (e: Event) => Object.assign(e.detail, { 'image-tag': `v${'1'.repeat(128)}` }),
      'image-tag',
    ],
    [
      'a digest of 60 hex digits',
      (e: Event) => Object.assign(e.detail, { 'image-digest': `sha256:${'a'.repeat(60)}` }),
      'image-digest',
    ],
    [
      'a digest in capitals',
      (e: Event) => Object.assign(e.detail, { 'image-digest': `sha256:${'A'.repeat(64)}` }),
      'image-digest',
    ],
    [
      'a digest of another algorithm',
      (e: Event) => Object.assign(e.detail, { 'image-digest': `md5:${'a'.repeat(32)}` }),
      'image-digest',
    ],
  ])('rejects %s with InvalidInputError naming the field', (_what, change, field) => {
    const event = sample('push');
    change(event);
    expect(() => parseEcrPush(event)).toThrow(InvalidInputError);
    expect(() => parseEcrPush(event)).toThrow(`→ at ${field === 'id' ? 'id' : `detail["${field}"]`}`);
  });

  it('accepts the longest names AWS allows', () => {
    const event = sample('push');
    const repository = `${'a'.repeat(127)}/${'b'.repeat(128)}`;
    Object.assign(event, { id: 'e'.repeat(128) });
    Object.assign(event.detail, { 'repository-name': repository, 'image-tag': `v${'1'.repeat(127)}` });
    expect(parseEcrPush(event)).toMatchObject({ eventId: 'e'.repeat(128), repository, tag: `v${'1'.repeat(127)}` });
  });
});
