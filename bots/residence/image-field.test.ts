/** Validated OCR of number images: a value is accepted only when a check or a second read backs it. */
import { afterAll, describe, expect, it } from 'vitest';
import { renderTextPng } from '../../fixtures/text-image.ts';
import { OcrPool } from '../../runner/ocr.ts';
import type { Ocr } from '../../runner/ocr-types.ts';
import { readImageField } from './image-field.ts';
import { ID_NUMBER_FIELD, PERMIT_NUMBER_FIELD } from './number-fields.ts';
import { blankPng, TESSDATA } from './test-helpers.ts';

/** An Ocr that answers the given reads in turn, to show what the reader does with each kind of answer. */
const answering = (...reads: string[]): Ocr & { calls: number } => ({
  calls: 0,
  async read() {
    this.calls++;
    return reads.shift() ?? '';
  },
});
const numberPng = (text: string) => renderTextPng(text, { fontSize: 20 });

describe('reading with tesseract', () => {
  const ocr = new OcrPool({ tessdataDir: TESSDATA, langs: ['eng'] });
  afterAll(() => ocr.close());

  it('reads an ID number and a permit number drawn as the residence system draws them', async () => {
    expect(await readImageField(ocr, numberPng('11010519491231002X'), ID_NUMBER_FIELD)).toBe('11010519491231002X');
    expect(await readImageField(ocr, numberPng('JZ202600001234'), PERMIT_NUMBER_FIELD)).toBe('JZ202600001234');
  });

  it('rejects an ID number with a wrong check digit even when it is read perfectly', async () => {
    await expect(readImageField(ocr, numberPng('110105194912310021'), ID_NUMBER_FIELD))
      .rejects.toMatchObject({ name: 'BusinessError', message: '无法可靠识别身份证号 (could not read the ID number reliably)' });
  });

  it('rejects a blank image', async () => {
    await expect(readImageField(ocr, blankPng(), PERMIT_NUMBER_FIELD)).rejects.toMatchObject({ name: 'BusinessError' });
  });
});

describe('deciding on the reads', () => {
  const png = numberPng('unused');

  it('accepts an ID number on the first read that passes the check digit', async () => {
    const ocr = answering('11010519491231002X');
    expect(await readImageField(ocr, png, ID_NUMBER_FIELD)).toBe('11010519491231002X');
    expect(ocr.calls).toBe(1);
  });

  it('tries other preprocessing after a read that fails the check', async () => {
    const ocr = answering('110105194912310021', '11010519491231002', '11010519491231002X');
    expect(await readImageField(ocr, png, ID_NUMBER_FIELD)).toBe('11010519491231002X');
    expect(ocr.calls).toBe(3);
  });

  it('accepts a permit number only once two preprocessings agree', async () => {
    const ocr = answering('JZ202600001234', 'JZ202600001234');
    expect(await readImageField(ocr, png, PERMIT_NUMBER_FIELD)).toBe('JZ202600001234');
    expect(ocr.calls).toBe(2);
  });

  it('rejects a permit number that two preprocessings read differently, whatever a third says', async () => {
    const ocr = answering('JZ202600001234', 'JZ202600007234', 'JZ202600001234');
    await expect(readImageField(ocr, png, PERMIT_NUMBER_FIELD))
      .rejects.toMatchObject({ name: 'BusinessError', message: '无法可靠识别居住证号 (could not read the permit number reliably)' });
  });

  it('rejects a permit number that only one preprocessing reads well', async () => {
    await expect(readImageField(answering('JZ202600001234', 'JZ20260000123', ''), png, PERMIT_NUMBER_FIELD))
      .rejects.toMatchObject({ name: 'BusinessError' });
  });
});
