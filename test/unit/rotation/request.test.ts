import { describe, expect, it } from '@jest/globals';
import { rotationId, rotationRequest } from '../../../src/rotation/request.ts';

// The rotation id a hand-started rotation runs under is also its execution's
// name, so it must be one Step Functions takes: letters, digits, "-", "_", at most 80.

const NOW = new Date('2026-12-02T03:04:05.678Z');

describe('rotation requests', () => {
  it('names the rotation by the UTC time and the suffix, and carries who asked', () => {
    expect(rotationRequest('/app/db', 'U0ROTATOR', NOW, 'a1b2c3d4')).toEqual({
      parameter: '/app/db',
      rotationId: 'rotate-20261202T030405-a1b2c3d4',
      requestedBy: 'U0ROTATOR',
    });
  });

  it('keeps the id a valid execution name whatever the suffix holds', () => {
    expect(rotationId(NOW, '1733108645.12 U0X/:y')).toBe('rotate-20261202T030405-173310864512U0Xy');
    const long = rotationId(NOW, 'x'.repeat(200));
    expect(long).toHaveLength(80);
    expect(long).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
