import { describe, expect, it } from 'vitest';
import { nearestChoices } from './nearest.ts';

const STREETS = ['滨江街道', '花园街道', '新城街道', '东门街道', '湖滨新区街道'];

describe('the nearest entries of a code list', () => {
  it('puts a renamed street first, and leaves out entries that share nothing', () => {
    expect(nearestChoices('湖滨街道', STREETS, { ignore: '街道' }).map((choice) => choice.value)).toEqual(['湖滨新区街道']);
  });

  it('orders by likeness, then by the list, and stops at the limit', () => {
    const near = nearestChoices('滨江新城街道', STREETS, { ignore: '街道', limit: 2 });
    expect(near).toEqual([{ value: '滨江街道', label: '滨江街道' }, { value: '新城街道', label: '新城街道' }]);
  });

  it('offers nothing when no entry is near', () => {
    expect(nearestChoices('解放路街道', STREETS, { ignore: '街道' })).toEqual([]);
  });
});
