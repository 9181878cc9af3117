import { describe, expect, it } from '@jest/globals';
import { changeTimeOf, readChangeTime } from '../../../src/insight/index.ts';

describe('when the change was made', () => {
  it('reads org.opencontainers.image.created, naming the revision when there is one', () => {
    expect(
      changeTimeOf({
        'org.opencontainers.image.created': '2026-11-21T10:15:30+01:00',
        'org.opencontainers.image.revision': '1a2b3c4d5e6f7a8b9c0d',
      }),
    ).toEqual({ at: '2026-11-21T09:15:30.000Z', from: 'oci-annotation:org.opencontainers.image.created@1a2b3c4d5e6f' });
    expect(changeTimeOf({ 'org.opencontainers.image.created': '2026-11-21T10:15:30Z' })?.from).toBe(
      'oci-annotation:org.opencontainers.image.created',
    );
  });

  it('says nothing without a valid created annotation, or when the image cannot be read', async () => {
    expect(changeTimeOf({})).toBeUndefined();
    expect(changeTimeOf({ 'org.opencontainers.image.created': 'yesterday' })).toBeUndefined();
    const failing = {
      read: async () => {
        throw new Error('AccessDenied');
      },
    };
    expect(await readChangeTime(failing, { repository: 'demo/web', digest: 'sha256:1' })).toBeUndefined();
  });
});
