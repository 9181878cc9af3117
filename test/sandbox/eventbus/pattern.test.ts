import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { InvalidEventPatternError, matchesPattern, validatePattern } from '../../../sandbox/eventbus/pattern.ts';

// Examples from the EventBridge User Guide ("Event patterns", "Content
// filtering", "Comparison operators"), plus the project's own release rule.

const ecrPush = JSON.parse(readFileSync(new URL('../../../events/aws.ecr/push.json', import.meta.url), 'utf8'));

// The guide's EC2 state-change example event.
const ec2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    location: 'us-east-1a',
  },
};

describe('EventBridge pattern matching', () => {
  it('matches exact values, all fields (AND) and any listed value (OR)', () => {
    expect(
      matchesPattern({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, ec2),
    ).toBe(true);
    expect(matchesPattern({ detail: { state: ['running', 'terminated'] } }, ec2)).toBe(true);
    expect(matchesPattern({ source: ['aws.ec2'], detail: { state: ['running'] } }, ec2)).toBe(false);
  });

  it('matches nested objects, and fails when the event lacks a field the pattern names', () => {
    expect(matchesPattern({ detail: { 'instance-id': ['i-1234567890abcdef0'] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { missing: ['x'] } }, ec2)).toBe(false);
    expect(matchesPattern({ nothere: { state: ['terminated'] } }, ec2)).toBe(false);
  });

  it('compares types exactly: the number 5 is not the string "5", null and "" are values', () => {
    expect(matchesPattern({ detail: { 'c-count': [5] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': ['5'] } }, ec2)).toBe(false);
    expect(matchesPattern({ detail: { responseElements: [null] } }, { detail: { responseElements: null } })).toBe(true);
    expect(matchesPattern({ detail: { eventVersion: [''] } }, { detail: { eventVersion: '' } })).toBe(true);
    expect(matchesPattern({ detail: { eventVersion: [null] } }, { detail: { eventVersion: '' } })).toBe(false);
  });

  it('matches an array in the event when any element matches', () => {
    const event = { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:other'] };
    expect(matchesPattern({ resources: ['arn:other', 'arn:third'] }, event)).toBe(true);
    expect(matchesPattern({ resources: ['arn:third'] }, event)).toBe(false);
    expect(matchesPattern({ items: { name: ['b'] } }, { items: [{ name: 'a' }, { name: 'b' }] })).toBe(true);
  });

  it('prefix, prefix ignoring case, suffix', () => {
    expect(matchesPattern({ time: [{ prefix: '2017-12-22' }] }, ec2)).toBe(true);
    expect(matchesPattern({ time: [{ prefix: '2018' }] }, ec2)).toBe(false);
    expect(matchesPattern({ source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, ec2)).toBe(true);
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' })).toBe(true);
    expect(matchesPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' })).toBe(false);
    expect(matchesPattern({ detail: { 'c-count': [{ prefix: '5' }] } }, ec2)).toBe(false);
  });

  it('anything-but: a string, a number, lists of either, a prefix; never a missing field', () => {
    expect(matchesPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': 'terminated' }] } }, ec2)).toBe(false);
    expect(matchesPattern({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, ec2)).toBe(false);
    expect(matchesPattern({ detail: { 'c-count': [{ 'anything-but': [100, 200, 300] }] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ 'anything-but': [5, 6] }] } }, ec2)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, ec2)).toBe(false);
    expect(matchesPattern({ detail: { weather: [{ 'anything-but': 'Raining' }] } }, ec2)).toBe(false);
  });

  it('exists: true for a present leaf, false for an absent one', () => {
    expect(matchesPattern({ detail: { state: [{ exists: true }] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, ec2)).toBe(false);
    expect(matchesPattern({ detail: { 'no-such-field': [{ exists: false }] } }, ec2)).toBe(true);
    expect(matchesPattern({ detail: { 'no-such-field': [{ exists: true }] } }, ec2)).toBe(false);
    // Exists matching only works on leaf nodes.
    expect(matchesPattern({ detail: [{ exists: true }] }, ec2)).toBe(false);
  });

  it('numeric ranges on JSON numbers only', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matchesPattern(pattern, ec2)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ numeric: ['>', 5] }] } }, ec2)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ numeric: ['>', 0] }] } }, ec2)).toBe(false);
    expect(matchesPattern({ price: [{ numeric: ['>', 10, '<=', 20] }] }, { price: 20 })).toBe(true);
  });

  it('equals-ignore-case, wildcard and $or', () => {
    expect(matchesPattern({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' })).toBe(true);
    expect(matchesPattern({ FilePath: [{ wildcard: 'dir/*.png' }] }, { FilePath: 'dir/a/b.png' })).toBe(true);
    expect(matchesPattern({ FilePath: [{ wildcard: 'dir/*.png' }] }, { FilePath: 'other/b.png' })).toBe(false);
    const or = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };
    expect(matchesPattern(or, { Location: 'Paris', Day: 'Monday' })).toBe(true);
    expect(matchesPattern(or, { Location: 'Paris', Day: 'Tuesday' })).toBe(false);
  });

  it("matches the release rule's pattern against the ECR push sample, and not a failed push", () => {
    const rule = {
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Action'],
      detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], 'repository-name': ['demo/web'] },
    };
    expect(matchesPattern(rule, ecrPush)).toBe(true);
    expect(matchesPattern(rule, { ...ecrPush, detail: { ...ecrPush.detail, result: 'FAILURE' } })).toBe(false);
    expect(matchesPattern(rule, { ...ecrPush, detail: { ...ecrPush.detail, 'repository-name': 'other' } })).toBe(false);
  });

  it('refuses malformed patterns up front', () => {
    const invalid = [
      [],
      { source: 'aws.ecr' },
      { source: [] },
      { source: [{ prefix: 5 }] },
      { source: [{ numeric: ['>'] }] },
      { source: [{ cidr: '10.0.0.0/24' }] },
      { detail: { state: [{ prefix: 'a', suffix: 'b' }] } },
      { $or: [{ a: ['b'] }] },
    ];
    for (const pattern of invalid) expect(() => validatePattern(pattern)).toThrow(InvalidEventPatternError);
    expect(() => validatePattern({ source: ['aws.ecr'], detail: { x: [{ exists: false }] } })).not.toThrow();
  });
});
