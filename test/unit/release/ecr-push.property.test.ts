import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidInputError } from '../../../src/platform/errors.ts';
import { parseEcrPush } from '../../../src/release/events/ecr-push.ts';

// Push events are untrusted input: whatever arrives, parsing either refuses it
// with InvalidInputError or returns fields that AWS accepts as keys and names.

const sample = JSON.parse(readFileSync('events/aws.ecr/push.json', 'utf8')) as Record<string, unknown> & {
  detail: Record<string, unknown>;
};

const component = fc.stringMatching(/^[a-z0-9]{1,20}(?:[._-][a-z0-9]{1,20}){0,2}$/);
const valid = {
  id: fc.uuid(),
  repository: fc
    .array(component, { minLength: 1, maxLength: 4 })
    .map((parts) => parts.join('/'))
    .filter((name) => name.length >= 2),
  tag: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/),
  digest: fc.stringMatching(/^sha256:[a-f0-9]{64}$/),
};
// Near misses and junk: long, empty, other alphabets, other digests.
const junk = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 2000, maxLength: 3000 }),
  fc.stringMatching(/^sha256:[a-fA-F0-9]{50,70}$/),
  fc.constantFrom('', 'a', 'A/b', 'demo//web', 'demo/web/', '-v1', 'sha256:'),
);
const field = (good: fc.Arbitrary<string>) => fc.oneof({ arbitrary: good, weight: 3 }, junk, fc.anything());

function eventOf(fields: { id: unknown; repository: unknown; tag: unknown; digest: unknown }) {
  return {
    ...sample,
    id: fields.id,
    detail: {
      ...sample.detail,
      'repository-name': fields.repository,
      'image-tag': fields.tag,
      'image-digest': fields.digest,
    },
  };
}

// What AWS allows, written out independently of the parser's patterns.
const printable = (text: string) => [...text].every((c) => c >= '!' && c <= '~');
function withinAwsLimits(push: ReturnType<typeof parseEcrPush>): boolean {
  const { eventId, repository, tag, digest } = push;
  return (
    eventId.length >= 1 &&
    eventId.length <= 128 &&
    printable(eventId) &&
    !eventId.includes('#') &&
    repository.length >= 2 &&
    repository.length <= 256 &&
    repository === repository.toLowerCase() &&
    printable(repository) &&
    !repository.startsWith('/') &&
    !repository.endsWith('/') &&
    !repository.includes('//') &&
    (tag === undefined || (tag.length >= 1 && tag.length <= 128 && printable(tag) && !/[-.]/.test(tag.charAt(0)))) &&
    (digest === undefined ||
      (digest.length === 71 && digest.startsWith('sha256:') && /^[0-9a-f]+$/.test(digest.slice(7))))
  );
}

describe('parseEcrPush on untrusted input', () => {
  it('either refuses an event with InvalidInputError or returns fields within AWS limits', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: field(valid.id),
          repository: field(valid.repository),
          tag: field(valid.tag),
          digest: field(valid.digest),
        }),
        (fields) => {
          let push: ReturnType<typeof parseEcrPush>;
          try {
            push = parseEcrPush(eventOf(fields));
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidInputError);
            return;
          }
          expect(withinAwsLimits(push)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads every well-formed push as it was sent', () => {
    fc.assert(
      fc.property(fc.record(valid), (fields) => {
        expect(parseEcrPush(eventOf(fields))).toEqual({
          eventId: fields.id,
          at: sample.time,
          account: sample.account,
          region: sample.region,
          repository: fields.repository,
          tag: fields.tag,
          digest: fields.digest,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses anything that is not an object shaped like the event', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => parseEcrPush(input)).toThrow(InvalidInputError);
      }),
    );
  });
});
