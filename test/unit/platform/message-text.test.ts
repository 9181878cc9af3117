import { describe, expect, it } from '@jest/globals';
import { bounded, errorText } from '../../../src/platform/message-text.ts';

describe('bounded', () => {
  it('keeps a message that fits, and cuts a longer one to the limit, marking the cut', () => {
    expect(bounded('short', 5)).toBe('short');
    expect(bounded('too long', 5)).toBe('too …');
    expect(bounded('x'.repeat(3000))).toHaveLength(2000);
  });
});

describe('errorText', () => {
  it('names an error and says its message; anything else thrown is said as it is', () => {
    expect(errorText(new RangeError('out of range'))).toBe('RangeError: out of range');
    expect(errorText('plain text')).toBe('plain text');
  });
});
