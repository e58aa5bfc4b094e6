/** Smoke test of the OCR benchmark: it runs on a handful of images and reports figures in the agreed shape. */
import { describe, expect, it } from 'vitest';
import { runOcrBench } from './ocr.ts';

describe('the OCR benchmark on ten captchas and ten number images', () => {
  it('reports every figure of the --json line and never accepts a wrong number', async () => {
    const result = await runOcrBench({ captchas: 10, imageFields: 10, seed: 7 });
    expect(Object.keys(result).sort()).toEqual(
      ['captchas', 'imageFieldAccuracy', 'imageFields', 'p50Ms', 'solveRate', 'solvedFirstTry', 'wrongAccepted'].sort());
    expect(result).toMatchObject({ captchas: 10, imageFields: 10, wrongAccepted: 0 });
    expect(result.solveRate).toBe(result.solvedFirstTry / 10);
    expect(result.imageFieldAccuracy).toBeGreaterThanOrEqual(0);
    expect(result.imageFieldAccuracy).toBeLessThanOrEqual(1);
    expect(result.p50Ms).toBeGreaterThan(0);
  });
});
