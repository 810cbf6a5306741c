import { describe, expect, it } from 'vitest';
import { median } from './median.js';
import { isUserFacingError, UserFacingError } from './user-facing-error.js';
import { ImageRejectedError } from '../decode/image-format.js';
import { StorageFullError, RecordsUpgradedError } from '../records/errors.js';

describe('median', () => {
  it('is the middle value, the mean of the two middle ones for an even count by default', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it("takes the upper middle value with 'upper' (detection), NaN for none", () => {
    expect(median([4, 1, 3, 2], 'upper')).toBe(3);
    expect(median([5], 'upper')).toBe(5);
    expect(median([])).toBeNaN();
  });
  it('does not reorder its input', () => {
    const v = [3, 1, 2];
    median(v);
    expect(v).toEqual([3, 1, 2]);
  });
});

describe('UserFacingError', () => {
  it('is checked by kind, whatever named constructor built it', () => {
    const rejected = new ImageRejectedError('Unsupported image format (tiff).');
    expect(rejected).toBeInstanceOf(UserFacingError);
    expect(rejected.kind).toBe('image-rejected');
    expect(rejected.message).toBe('Unsupported image format (tiff).');
    expect(isUserFacingError(rejected)).toBe(true);
    expect(isUserFacingError(rejected, 'image-rejected')).toBe(true);
    expect(isUserFacingError(rejected, 'no-cells', 'storage-full')).toBe(false);
    expect(isUserFacingError(new StorageFullError('the field'), 'storage-full')).toBe(true);
    expect(isUserFacingError(new RecordsUpgradedError(null), 'records-unavailable')).toBe(true);
    expect(isUserFacingError(new Error('x'))).toBe(false);
    expect(isUserFacingError('x')).toBe(false);
  });
});
