/** The four-colour status of the reform reports, by success rate, reachability and screens changed under the bots. */
import { describe, expect, it } from 'vitest';
import { colourOf } from './matter-colour.ts';

describe('colourOf', () => {
  it.each([
    [1, true, 'green'], [0.98, true, 'green'], [0.979, true, 'yellow'], [0.9, true, 'yellow'],
    [0.899, true, 'orange'], [0.75, true, 'orange'], [0.749, true, 'red'], [0, true, 'red'],
    [null, true, 'green'], [1, false, 'red'], [null, false, 'red'],
  ] as const)('gives a rate of %s with systems reachable %s the colour %s', (rate, reachable, colour) => {
    expect(colourOf(rate, reachable)).toBe(colour);
  });

  it.each([
    [1, 'orange'], [null, 'orange'], [0.95, 'orange'], [0.8, 'orange'], [0.5, 'red'],
  ] as const)('gives a rate of %s on a system whose screens changed the colour %s', (rate, colour) => {
    expect(colourOf(rate, true, true)).toBe(colour);
  });
});
